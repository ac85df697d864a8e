"""The job queue: timed and background work on procrastinate, safe with many processes.

`queue` builds the procrastinate App for the settings (PostgreSQL: its own psycopg connection; SQLite: an
in-memory queue), `tasks` holds core's tasks, `runtime` is how a running task reaches the plugin host of its
process, `worker` runs workers (`server.py worker`, or inside the server on SQLite) and `schema` installs
procrastinate's tables (`server.py migrate`).
"""
