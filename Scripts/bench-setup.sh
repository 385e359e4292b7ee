# Sourced by the Scripts/bench-* scripts (not run on its own): the setup they share.
#
#   bench_setup [VENV]   makes sure the virtualenvs and a release build exist, then sets
#                        $venv: VENV as a name under .venvs/ (default dj52) or an absolute venv path
#                        $djstatic: the binary to time
#
# Scripts/bootstrap runs (quietly) unless VENV is an absolute path; the release build is
# incremental. With DJSTATIC=path/to/djstatic, that binary is timed and .venvs is used as it is:
# no bootstrap (which would rebuild virtualenvs shared with a worktree) and no build.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bench_setup() {
    venv=${1:-dj52}
    if [ -n "${DJSTATIC:-}" ]; then
        djstatic=$DJSTATIC
    else
        if [[ $venv != /* ]]; then
            Scripts/bootstrap >/dev/null
        fi
        swift build -c release --product djstatic >/dev/null 2>&1 || swift build -c release --product djstatic
        djstatic=$PWD/.build/release/djstatic
    fi
    if [[ $venv != /* ]]; then
        venv=$PWD/.venvs/$venv
    fi
}
