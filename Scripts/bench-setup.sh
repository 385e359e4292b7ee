# Sourced by the Scripts/bench-* scripts (not run on its own): the setup they share.
#
#   bench_setup [VENV]   makes sure the virtualenvs and a release build exist, then sets
#                        $venv: VENV as a name under .venvs/ (default dj52) or an absolute venv path
#                        $djstatic: the binary to time
#   bench_venv           creates .venvs/bench (fixtures/bench-project's apps, pinned below) when
#                        its pins changed, whether or not DJSTATIC is set; Scripts/bootstrap and
#                        CI never install it
#
# Scripts/bootstrap runs (quietly) unless VENV is an absolute path; the release build is
# incremental. With DJSTATIC=path/to/djstatic, that binary is timed and .venvs is used as it is:
# no bootstrap (which would rebuild virtualenvs shared with a worktree) and no build.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source Scripts/make-venv.sh

bench_setup() {
    venv=${1:-dj52}
    if [ -n "${DJSTATIC:-}" ]; then
        djstatic=$DJSTATIC
    else
        if [[ $venv != /* && $venv != bench ]]; then
            Scripts/bootstrap >/dev/null
        fi
        swift build -c release --product djstatic >/dev/null 2>&1 || swift build -c release --product djstatic
        djstatic=$PWD/.build/release/djstatic
    fi
    if [[ $venv == bench ]]; then
        bench_venv
    fi
    if [[ $venv != /* ]]; then
        venv=$PWD/.venvs/$venv
    fi
}

# Django 5.2 and the newest releases of the bench project's apps that support it (Python 3.11).
BENCH_PINS=(
  "Django==5.2.19" "django-jazzmin==3.0.5" "django-unfold==0.91.0" "djangorestframework==3.18.3"
  "django-debug-toolbar==8.0.0" "django-ckeditor==6.7.4" "django-import-export==4.4.3"
  "django-select2==8.4.8" "django-tinymce==5.0.0" "wagtail==8.0.1" "django-taggit==6.1.0"
  "django-modelcluster==6.5" "${STORAGE_PINS[@]}" "$BROTLI_PIN"
)

bench_venv() {
    make_venv bench /usr/bin/python3.11 "${BENCH_PINS[@]}"
}
