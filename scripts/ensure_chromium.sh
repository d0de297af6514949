#!/usr/bin/env bash
# Make sure Debian's Chromium is installed for the browser tests (never a downloaded browser).
# Prints the path of the browser; installs the `chromium` package with apt when missing and allowed.
set -euo pipefail
for candidate in "${CHROMIUM_PATH:-}" /usr/bin/chromium /usr/bin/chromium-browser; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then
    echo "$candidate"
    exit 0
  fi
done
if command -v apt-get >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "Installation de Chromium (paquet Debian « chromium ») pour les tests du navigateur…" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null 2>&1 \
      || { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
  elif sudo -n true 2>/dev/null; then
    echo "Installation de Chromium (paquet Debian « chromium ») pour les tests du navigateur…" >&2
    sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
fi
if [ -x /usr/bin/chromium ]; then
  echo /usr/bin/chromium
  exit 0
fi
echo "Chromium manque pour les tests du navigateur : installez-le avec « sudo apt-get install chromium »" >&2
echo "(ou indiquez son chemin dans CHROMIUM_PATH)." >&2
exit 1
