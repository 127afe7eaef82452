# Sourced by the scripts that install Debian packages. A fresh machine may still be running its own apt at boot, and a
# mirror may fail a request now and then: wait for the dpkg lock and try the update and install three times before
# giving up, so a passing hiccup does not fail `make test`.

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

install_packages() {
  local attempt
  for attempt in 1 2 3; do
    if as_root apt-get -o DPkg::Lock::Timeout=300 update -qq >&2 &&
       as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq "$@" >&2; then
      return 0
    fi
    echo "packages: installing $* failed (attempt $attempt of 3)" >&2
    sleep $((attempt * 10))
  done
  return 1
}
