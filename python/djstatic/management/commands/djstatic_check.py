"""djstatic's rules on the settings this manage.py uses: `djstatic check` with its options (after
`--`: `manage.py djstatic_check -- --select DJS --format json`); its output and exit status."""
from django.core.management.base import BaseCommand, CommandError

from djstatic import invocation


class Command(BaseCommand):
    help = "Check the static-file configuration of the current settings with djstatic's rules."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("djstatic_options", nargs="*", metavar="OPTION",
                            help="options of `djstatic check` (--select, --ignore, --format, ...), after --")

    def handle(self, *args, djstatic_options, **options):
        reason = invocation.unavailable()
        if reason:
            raise CommandError(reason)
        arguments = [invocation.executable(), "check", *invocation.settings_arguments(), *djstatic_options]
        if options["verbosity"] >= 2:
            arguments.append("--verbose")
        status = invocation.run(self, arguments)
        if status:
            raise SystemExit(status)
