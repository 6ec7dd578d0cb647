"""`make bench`: Peerpath side by side with reference views, under gunicorn on
PostgreSQL (bench/run.py). Not part of the application: the reference views
are served only with config.settings.bench."""
