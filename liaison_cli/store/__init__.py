"""The one way to the database: the schema, the engine, units of work and every query."""
