"""Pure rules of the domain, with no database: vocabularies, dates, the lifecycle."""
