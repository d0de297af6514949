#!/usr/bin/env bash
# Print the path of a working Python 3.10 interpreter, or explain how to get one.
set -u
candidates=(python3.10)
command -v pyenv >/dev/null 2>&1 && candidates+=("$(pyenv root)"/versions/3.10*/bin/python3.10)
candidates+=("$HOME"/.pyenv/versions/3.10*/bin/python3.10 /usr/local/bin/python3.10 /usr/bin/python3.10)
for py in "${candidates[@]}"; do
  if "$py" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' >/dev/null 2>&1; then
    command -v "$py"
    exit 0
  fi
done
echo "Python 3.10 est introuvable : installez-le (par exemple « pyenv install 3.10 » ou « apt-get install python3.10 ») puis relancez « make install »." >&2
exit 1
