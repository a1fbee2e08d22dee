#!/usr/bin/env bash
# The shell half of the pkcevet composite action (action.yml beside it).
#
#   run.sh scan     install (or locate) pkcevet, scan, write the SARIF log
#   run.sh finish   turn pkcevet's exit status into the step's result
#
# Inputs arrive as environment variables (never as ${{ }} in the script):
#   scan:   PKCEVET_VERSION, PKCEVET_BINARY, PKCEVET_PACKAGES,
#           PKCEVET_WORKING_DIRECTORY, PKCEVET_SARIF_FILE, PKCEVET_BASELINE
#   finish: PKCEVET_EXIT_CODE, PKCEVET_FAIL_ON_FINDINGS
#
# scan succeeds whatever pkcevet finds, so that the upload step runs before
# finish fails the job; it fails only when pkcevet cannot be installed or run.
# Its outputs: sarif-file (absolute path), sarif-written (true|false),
# exit-code (pkcevet's status: 0 no findings, 1 findings, 2 incomplete scan).
set -euo pipefail

module=github.com/pkcevet/pkcevet/cmd/pkcevet

fail() {
	echo "::error title=pkcevet::$*"
	exit 1
}

output() {
	if [[ -n ${GITHUB_OUTPUT:-} ]]; then
		printf '%s=%s\n' "$1" "$2" >>"$GITHUB_OUTPUT"
	else
		printf 'output %s=%s\n' "$1" "$2"
	fi
}

# rebase_uris FILE WORKSPACE: pkcevet writes paths relative to the module
# root (%SRCROOT%). Code scanning reads a relative path as relative to the
# repository root, so when the module lives in a subdirectory of the
# checkout, move that subdirectory from %SRCROOT% into every URI.
rebase_uris() {
	local file=$1 workspace=$2 raw root base rel n
	if ! command -v jq >/dev/null; then
		echo "::warning title=pkcevet::jq is not installed: SARIF paths stay relative to the module root, which code scanning reads as the repository root"
		return 0
	fi
	raw=$(jq -r '.runs[0].originalUriBaseIds["%SRCROOT%"].uri // empty' "$file")
	[[ $raw == file://* ]] || return 0
	# Percent-decode the path of the file:// URI.
	root=${raw#file://}
	root=${root%/}
	printf -v root '%b' "${root//%/\\x}"
	if [[ $root =~ ^/[A-Za-z]: ]]; then
		root=${root#/} # file:///C:/... on Windows
	fi

	rel=
	for base in "$workspace" "$(cd "$workspace" && pwd -P)"; do
		if command -v cygpath >/dev/null; then
			base=$(cygpath -m "$base")
		fi
		base=${base%/}
		if [[ $root == "$base" ]]; then
			return 0 # the module is the repository: nothing to do
		fi
		if [[ $root == "$base"/* ]]; then
			rel=${root#"$base"/}
			break
		fi
	done
	if [[ -z $rel ]]; then
		echo "::warning title=pkcevet::the module root $root is outside the workspace $workspace: code scanning cannot map its paths to the repository"
		return 0
	fi

	# Percent-encoding keeps the slashes, so the last n segments of the
	# encoded root are the encoded form of rel.
	IFS=/ read -ra segments <<<"$rel"
	n=${#segments[@]}
	echo "pkcevet: the module root is $rel/ in the repository; prefixing SARIF paths with it"
	jq --arg raw "$raw" --argjson n "$n" '
		.runs |= map(
			if .originalUriBaseIds["%SRCROOT%"].uri == $raw then
				($raw | rtrimstr("/") | split("/")) as $segs
				| ($segs[-$n:] | join("/")) as $prefix
				| .originalUriBaseIds["%SRCROOT%"].uri = ($segs[:-$n] | join("/")) + "/"
				| walk(
					if type == "object" and .uriBaseId == "%SRCROOT%" and (.uri | type) == "string"
					then .uri = $prefix + "/" + .uri
					else . end)
			else . end)' "$file" >"$file.tmp"
	mv "$file.tmp" "$file"
}

# drop_absent FILE: a log written with -baseline lists the baseline's
# findings that are gone as results with baselineState "absent". Code
# scanning ignores baselineState and would show them as open alerts at
# their old places, so they are removed before the upload.
drop_absent() {
	local file=$1
	if ! command -v jq >/dev/null; then
		echo "::warning title=pkcevet::jq is not installed: results of the baseline that are gone (baselineState absent) stay in the SARIF log and code scanning shows them as alerts"
		return 0
	fi
	jq '.runs |= map(.results |= map(select(.baselineState != "absent")))' "$file" >"$file.tmp"
	mv "$file.tmp" "$file"
}

scan() {
	local workspace bin bindir sarif status
	local -a packages baseline=()
	workspace=${GITHUB_WORKSPACE:-$PWD}
	cd "$workspace"

	command -v go >/dev/null ||
		fail "go is not on PATH: set Go up (actions/setup-go) before this action; pkcevet needs it to load packages"

	if [[ -n ${PKCEVET_BINARY:-} ]]; then
		bin=$PKCEVET_BINARY
		[[ $bin == /* ]] || bin=$workspace/$bin
		[[ -f $bin ]] || fail "no pkcevet binary at $bin"
	else
		bindir=${RUNNER_TEMP:-$(mktemp -d)}/pkcevet-bin
		mkdir -p "$bindir"
		echo "pkcevet: go install $module@${PKCEVET_VERSION:-latest}"
		GOBIN=$bindir go install "$module@${PKCEVET_VERSION:-latest}" ||
			fail "could not install $module@${PKCEVET_VERSION:-latest}"
		bin=$bindir/pkcevet
	fi
	"$bin" -version

	cd "${PKCEVET_WORKING_DIRECTORY:-.}" ||
		fail "no working directory ${PKCEVET_WORKING_DIRECTORY:-.} in $workspace"

	sarif=${PKCEVET_SARIF_FILE:-pkcevet.sarif}
	[[ $sarif == /* ]] || sarif=$PWD/$sarif
	mkdir -p "$(dirname "$sarif")"
	sarif=$(cd "$(dirname "$sarif")" && pwd)/$(basename "$sarif")
	rm -f "$sarif" # never upload a stale log

	if [[ -n ${PKCEVET_BASELINE:-} ]]; then
		[[ -f $PKCEVET_BASELINE ]] ||
			echo "::warning title=pkcevet::no baseline file $PKCEVET_BASELINE in $PWD: pkcevet will report an incomplete scan"
		baseline=(-baseline "$PKCEVET_BASELINE")
	fi

	read -ra packages <<<"${PKCEVET_PACKAGES:-}"
	[[ ${#packages[@]} -gt 0 ]] || packages=(./...)

	echo "pkcevet: scanning ${packages[*]} in $PWD"
	status=0
	"$bin" -format sarif -o "$sarif" "${baseline[@]}" "${packages[@]}" || status=$?
	case $status in
	0) echo "pkcevet: no${baseline[*]:+ new} findings" ;;
	1) echo "pkcevet:${baseline[*]:+ new} findings reported" ;;
	2) echo "::warning title=pkcevet::the scan is incomplete (exit status 2): see the messages above" ;;
	*) echo "::warning title=pkcevet::pkcevet exited with status $status" ;;
	esac

	annotate "$bin" "${baseline[@]}" "${packages[@]}"

	output sarif-file "$sarif"
	output exit-code "$status"
	if [[ -s $sarif ]]; then
		rebase_uris "$sarif" "$workspace"
		if [[ ${#baseline[@]} -gt 0 ]]; then
			drop_absent "$sarif"
		fi
		output sarif-written true
	else
		echo "::warning title=pkcevet::no SARIF log was written to $sarif: nothing to upload"
		output sarif-written false
	fi
}

# annotate BIN ARGS...: when annotations are on (PKCEVET_ANNOTATIONS true,
# or auto with PKCEVET_UPLOAD false), runs pkcevet again with -format github:
# one workflow command per finding, which GitHub shows on the diff.
annotate() {
	local bin=$1 on
	shift
	on=$(printf '%s' "${PKCEVET_ANNOTATIONS:-auto}" | tr '[:upper:]' '[:lower:]')
	case $on in
	auto)
		on=false
		[[ $(printf '%s' "${PKCEVET_UPLOAD:-true}" | tr '[:upper:]' '[:lower:]') == false ]] && on=true
		;;
	true | false) ;;
	*) fail "annotations must be true, false or auto, not ${PKCEVET_ANNOTATIONS}" ;;
	esac
	if [[ $on == true ]]; then
		echo "pkcevet: annotations (-format github)"
		"$bin" -format github "$@" 2>/dev/null || true
	fi
}

finish() {
	local status=${PKCEVET_EXIT_CODE:-} failon
	failon=$(printf '%s' "${PKCEVET_FAIL_ON_FINDINGS:-true}" | tr '[:upper:]' '[:lower:]')
	case $failon in
	true | false) ;;
	*) fail "fail-on-findings must be true or false, not ${PKCEVET_FAIL_ON_FINDINGS}" ;;
	esac
	case $status in
	0) ;;
	1)
		if [[ $failon == true ]]; then
			fail "pkcevet found PKCE mistakes: see the code scanning alerts or the SARIF log"
		fi
		echo "pkcevet: findings reported; fail-on-findings is false"
		;;
	2) fail "the pkcevet scan is incomplete (exit status 2): a package failed to load or type-check, or the arguments are wrong" ;;
	'') fail "pkcevet did not run" ;;
	*) fail "pkcevet exited with status $status" ;;
	esac
}

case ${1:-} in
scan) scan ;;
finish) finish ;;
*)
	echo "usage: $0 scan|finish" >&2
	exit 2
	;;
esac
