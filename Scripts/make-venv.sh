# Sourced by Scripts/bootstrap and Scripts/bench-setup.sh (not run on its own): pinned virtualenvs
# under .venvs/, each re-created only when its interpreter or pins change (a stamp of them is kept
# in the venv). The caller's working directory is the repository.

# Pins that more than one virtualenv installs: the storages djstatic reproduces and whitenoise's
# Brotli (two names: bootstrap's lists keep their order, which their venvs' stamps hash).
STORAGE_PINS=("django-storages==1.14.6" "boto3==1.44.8" "whitenoise==6.12.0")
BROTLI_PIN="Brotli==1.2.1"

# make_venv NAME PYTHON PACKAGES...: (re)creates .venvs/NAME when its pins changed.
make_venv() {
  local name=$1 python=$2; shift 2
  local dir=.venvs/$name stamp
  stamp=$(printf '%s\n' "$python" "$@" | sha256sum | cut -c1-16)
  if [[ -f $dir/.djstatic-stamp && $(cat "$dir/.djstatic-stamp") == "$stamp" ]]; then
    return
  fi
  echo "${0##*/}: creating $dir ($python; $*)" >&2
  rm -rf "$dir"
  "$python" -m venv "$dir"
  "$dir/bin/pip" install -q --disable-pip-version-check "$@"
  echo "$stamp" >"$dir/.djstatic-stamp"
}
