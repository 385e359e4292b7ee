"""djstatic's Django app: `manage.py collectstatic` runs the djstatic executable installed beside it
(natively, the same options, output and exit status) and `manage.py djstatic_check` runs its rules
on the current settings. List "djstatic" in INSTALLED_APPS before "django.contrib.staticfiles".
"""
