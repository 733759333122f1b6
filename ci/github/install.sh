#!/usr/bin/env bash
# The action's install step: flowgate from its npm package, at the action's own version unless
# `version` says otherwise, into the runner's temporary folder (nothing lands in the workspace).
# Inputs come as environment variables (never spliced into the script: no injection).
set -euo pipefail
if [ -n "${FLOWGATE_GIVEN:-}" ]; then
  echo "bin=$FLOWGATE_GIVEN" >>"$GITHUB_OUTPUT"
  exit 0
fi
version="${FLOWGATE_VERSION:-}"
if [ -z "$version" ]; then
  version="$(node -p 'require(process.argv[1]).version' "$GITHUB_ACTION_PATH/package.json")"
fi
case "$version" in
  *[!A-Za-z0-9.+-]*) echo "::error::version '$version' is not a version" >&2; exit 2 ;;
esac
prefix="${RUNNER_TEMP:?}/flowgate-$version"
npm install --prefix "$prefix" --no-save --no-audit --no-fund "flowgate@$version"
echo "bin=$prefix/node_modules/.bin/flowgate" >>"$GITHUB_OUTPUT"
