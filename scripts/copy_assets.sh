#!/usr/bin/env bash
# Copy the Scottish Government Design System build into static/sgds/ (git-ignored).
# Safe to run again: the old copy is replaced, never merged.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="$root/node_modules/@scottish-government/design-system/dist"
dest="$root/static/sgds"

if [[ ! -d "$src" ]]; then
    echo "copy_assets: $src not found." >&2
    echo "Run 'npm ci' in $root first, then run this script again." >&2
    exit 1
fi

for part in css scripts images; do
    if [[ ! -d "$src/$part" ]]; then
        echo "copy_assets: $src/$part is missing; the design system package looks incomplete." >&2
        exit 1
    fi
done

mkdir -p "$dest"
for part in css scripts images; do
    rm -rf "${dest:?}/$part"
    cp -R "$src/$part" "$dest/$part"
done

echo "copy_assets: design system copied to ${dest#"$root"/}"
