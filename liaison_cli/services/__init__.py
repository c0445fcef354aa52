"""Domain rules and transactions. Nothing here prints or exits."""
