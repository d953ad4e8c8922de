# Step headers and times for .ci/run (sourced, not run): `step "what"` ends the
# step before it, printing its seconds, and starts the next; at exit, success
# or not, a table of every step's seconds and the total, so a slow or failing
# step is named without reading the whole log.

ci_started=$SECONDS
step_name=""
step_started=0
step_times=()

step_end() {
    if [ -n "$step_name" ]; then
        local took=$((SECONDS - step_started))
        printf '<== %ss  %s\n' "$took" "$step_name"
        step_times+=("$(printf '%6ss  %s' "$took" "$step_name")")
        step_name=""
    fi
}

step() {
    step_end
    step_name="$*"
    step_started=$SECONDS
    printf '\n==> %s\n' "$step_name"
}

steps_summary() {
    local status=$?
    local failed="$step_name"
    # A hook for the script that sources this: stop what it left running.
    if declare -F before_summary >/dev/null; then
        before_summary
    fi
    step_end
    printf '\nstep times (seconds):\n'
    printf '%s\n' "${step_times[@]}"
    printf '%6ss  total\n' "$((SECONDS - ci_started))"
    if [ "$status" -ne 0 ] && [ -n "$failed" ]; then
        printf '\nFAILED in: %s (exit %s)\n' "$failed" "$status" >&2
    fi
}
trap steps_summary EXIT
