# Core files of the outbox area.
