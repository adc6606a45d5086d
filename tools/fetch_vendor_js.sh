#!/usr/bin/env bash
# Fetch, from the npm registry, local copies of the scripts that built pages load from CDNs
# (require.js, the Jupyter widgets HTML manager, axe-core), so the browser tests run offline.
# Versions match what MyST-NB 1.4 asks the CDN for; see myst_nb/core/config.py.
set -euo pipefail
dest=${1:?usage: fetch_vendor_js.sh DEST}
mkdir -p "$dest"
command -v npm >/dev/null || { echo "fetch_vendor_js.sh needs npm (Node.js) to fetch the widget scripts"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for spec in requirejs@2.3.4 @jupyter-widgets/html-manager@1.0.6; do
  (cd "$work" && npm pack --silent "$spec" >/dev/null)
done
for tarball in "$work"/*.tgz; do
  name=$(basename "$tarball" .tgz)
  mkdir -p "$work/$name" && tar -xzf "$tarball" -C "$work/$name"
done
cp "$work"/requirejs-2.3.4/package/require.js "$dest/require.min.js"
cp -r "$work"/jupyter-widgets-html-manager-1.0.6/package/dist "$dest/html-manager-dist"
echo "vendored scripts in $dest"
