"""The command line: parse arguments, call a service, render the result."""
