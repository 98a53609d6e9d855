"""What every domain stands on: settings, database, SQL pieces, errors, logs, clocks, backups."""
