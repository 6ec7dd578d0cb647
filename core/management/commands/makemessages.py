"""`makemessages` with Peerpath's own settings, so that `make messages` gives
the same catalogue on every machine (tests/i18n/test_catalogues.py runs it)."""

from django.core.management.commands import makemessages

# Folders with no string for people to read: dependencies, local data, tests,
# vendored files, benchmarks and scripts (dot folders such as .venv are
# skipped by Django already).
IGNORED = ["var/*", "tests/*", "static/*", "bench/*", "scripts/*", "*/migrations/*"]


class Command(makemessages.Command):
    # A new string comes untranslated rather than with a guess from a similar
    # one: a guessed ("fuzzy") entry would show English until someone looked.
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]

    def handle(self, *args, **options):
        options["ignore_patterns"] = [*options["ignore_patterns"], *IGNORED]
        # File names without line numbers: moving a string within a file
        # changes nothing in the catalogue (fewer conflicts between branches).
        options["add_location"] = options.get("add_location") or "file"
        options["no_obsolete"] = True
        return super().handle(*args, **options)
