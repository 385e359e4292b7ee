"""collectstatic, collected natively by the djstatic executable when it reproduces the project's
storage and finders (same options, output and exit status), else by Django's own command in this
process. At -v 2 one line on standard error says which, and why."""
from django.contrib.staticfiles.management.commands import collectstatic

from djstatic import invocation

# `djstatic collect --django-app` exits with this status when Django's own command must collect.
HAND_BACK_TO_DJANGO = 3


class Command(collectstatic.Command):
    def handle(self, **options):
        reason = invocation.unavailable()
        if reason:
            if options["verbosity"] >= 2:
                self.stderr.write(f"djstatic: not collecting natively ({reason}); Django's own collectstatic runs")
            return super().handle(**options)
        status = invocation.run(self, [invocation.executable(), "collect", "--django-app", *invocation.settings_arguments(),
                                       *self.djstatic_arguments(options)])
        if status == HAND_BACK_TO_DJANGO:
            return super().handle(**options)
        if status:
            raise SystemExit(status)

    @staticmethod
    def djstatic_arguments(options):
        arguments = ["--verbosity", str(options["verbosity"])]
        arguments += [f"--ignore={pattern}" for pattern in options["ignore_patterns"] or []]
        flags = {
            "--noinput": not options["interactive"],
            "--no-post-process": not options["post_process"],
            "--dry-run": options["dry_run"],
            "--clear": options["clear"],
            "--link": options["link"],
            "--no-default-ignore": not options["use_default_ignore_patterns"],
        }
        return arguments + [flag for flag, given in flags.items() if given]
