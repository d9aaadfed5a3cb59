#!/bin/sh
# Install the system parts jixi-report needs, only those missing: CJK fonts for the PDF and the
# charts, HarfBuzz's subsetter (without it WeasyPrint writes a CJK PDF ~20x slower), and
# Pango (WeasyPrint's text layout). Where it cannot install, say what to install, exit 1.
set -u

have_font() { fc-list ":family=$1" 2>/dev/null | grep -q .; }
have_lib() { ldconfig -p 2>/dev/null | grep -q "$1"; }

need=""
command -v fc-list >/dev/null 2>&1 || need="$need fontconfig"
have_font "Noto Serif CJK SC" && have_font "Noto Sans CJK SC" || need="$need fonts-noto-cjk"
have_font "AR PL UKai CN" || need="$need fonts-arphic-ukai"
have_lib libharfbuzz-subset.so.0 || need="$need libharfbuzz-subset0"
have_lib libpangoft2-1.0.so.0 || need="$need libpango-1.0-0 libpangoft2-1.0-0"

[ -z "$need" ] && exit 0
need=${need# }
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages: $need"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends $need >/dev/null || {
    echo "Could not install $need with apt-get; install them and run make again." >&2
    exit 1
  }
  fc-cache -f >/dev/null 2>&1 || true
  exit 0
fi
echo "jixi-report needs the Debian packages $need; install them (as root: apt-get install $need) and run make again." >&2
exit 1
