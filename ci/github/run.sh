#!/usr/bin/env bash
# The action's run step: one flowgate command. validate writes SARIF to a file (the `sarif`
# output) and annotates the files; plan writes Markdown, prints it, adds it to the job summary and,
# on a pull request with `comment: on`, creates or updates the one plan comment; deploy runs in the
# action's env, test offline, promote to the action's env (--to) with --from in args. The step ends with flowgate's exit code.
set -uo pipefail
flowgate() { node "${FLOWGATE_BIN:?}" "$@"; }
out="${RUNNER_TEMP:?}/flowgate"
mkdir -p "$out"
read -r -a extra <<<"${FLOWGATE_ARGS:-}"
manifest=(--manifest "${FLOWGATE_MANIFEST:-flowgate.yaml}")
env_flag=()
if [ -n "${FLOWGATE_ENV:-}" ]; then env_flag=(--env "$FLOWGATE_ENV"); fi
code=0
case "${FLOWGATE_COMMAND:-}" in
  validate)
    sarif="$out/flowgate.sarif"
    flowgate validate "${manifest[@]}" --format sarif "${extra[@]}" >"$sarif" || code=$?
    echo "sarif=$sarif" >>"$GITHUB_OUTPUT"
    # Annotations on the changed files, and the findings in the log.
    flowgate validate "${manifest[@]}" --format github "${extra[@]}" || true
    ;;
  plan)
    plan="$out/plan.md"
    flowgate plan "${manifest[@]}" "${env_flag[@]}" --format markdown "${extra[@]}" >"$plan" || code=$?
    cat "$plan"
    echo "plan=$plan" >>"$GITHUB_OUTPUT"
    if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then cat "$plan" >>"$GITHUB_STEP_SUMMARY"; fi
    # 0: the plan can be applied, 3: something is blocked; both are plans worth showing.
    case "${GITHUB_EVENT_NAME:-}" in pull_request | pull_request_target) on_pr=1 ;; *) on_pr=0 ;; esac
    if [ "${FLOWGATE_COMMENT:-on}" = on ] && [ "$on_pr" = 1 ] && [ -s "$plan" ]; then
      marker="plan${FLOWGATE_ENV:+-$FLOWGATE_ENV}"
      if url="$(flowgate comment --file "$plan" --marker "$marker")"; then
        echo "comment-url=$url" >>"$GITHUB_OUTPUT"
      else
        c=$?
        if [ "$code" = 0 ]; then code=$c; fi
      fi
    fi
    ;;
  deploy)
    flowgate deploy "${manifest[@]}" "${env_flag[@]}" "${extra[@]}" || code=$?
    ;;
  test)
    # Scenarios run offline with their own values: no environment.
    flowgate test "${manifest[@]}" "${extra[@]}" || code=$?
    ;;
  promote)
    # The action's env is where to promote to; where from comes in args (--from test).
    to=()
    if [ -n "${FLOWGATE_ENV:-}" ]; then to=(--to "$FLOWGATE_ENV"); fi
    flowgate promote "${manifest[@]}" "${to[@]}" "${extra[@]}" || code=$?
    ;;
  *)
    echo "::error::command must be validate, plan, deploy, test or promote, not '${FLOWGATE_COMMAND:-}'" >&2
    code=2
    ;;
esac
echo "exit-code=$code" >>"$GITHUB_OUTPUT"
exit "$code"
