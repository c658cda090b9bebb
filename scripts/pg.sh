#!/usr/bin/env bash
# Throwaway PostgreSQL 15 + pgvector for tests and benchmarks.
#
# Usage:
#   scripts/pg.sh install          build + install pgvector (skipped when present)
#   scripts/pg.sh start [DIR]      fresh cluster in DIR, prints its URL on stdout
#   scripts/pg.sh stop  [DIR]      stop the cluster in DIR and remove DIR
#   scripts/pg.sh crash-restart DIR  stop the cluster in DIR the way a crash
#                                  does (immediate: no checkpoint, every
#                                  connection cut) and start it again on the
#                                  same port; for fault tests
#   scripts/pg.sh run CMD...       start a private cluster, run CMD with
#                                  HEARD_TEST_DATABASE_URL set, always tear down,
#                                  exit with CMD's status
#
# Environment:
#   HEARD_PG_PORT   preferred TCP port (default 54329; another is picked if busy)
#   HEARD_PG_CONF   extra postgresql.conf lines (e.g. shared_preload_libraries for profiling)
#   HEARD_PG_DIR    cluster dir for `run` (default: a fresh mktemp dir, so a
#                   `run` never clobbers a cluster you started by hand)
#   TMPDIR          parent of the default DIR (${TMPDIR:-/tmp}/heard-pg)
#
# Only `start` prints to stdout (exactly one line: the URL); everything else
# goes to stderr. pgvector is not packaged for bookworm, so `install` builds it
# from Debian trixie's *source* package (a deb-src entry only: no trixie binary
# package can ever be installed from it).
set -Eeuo pipefail
trap 'printf "pg.sh: error: line %s: %s failed\n" "${LINENO}" "${BASH_COMMAND}" >&2' ERR

readonly PG_MAJOR=15
readonly PG_BIN="/usr/lib/postgresql/${PG_MAJOR}/bin"
readonly PG_CONFIG="${PG_BIN}/pg_config"
readonly VECTOR_CONTROL="/usr/share/postgresql/${PG_MAJOR}/extension/vector.control"
readonly VECTOR_LIB="/usr/lib/postgresql/${PG_MAJOR}/lib/vector.so"
readonly TRIXIE_SRC_LIST="/etc/apt/sources.list.d/heard-trixie-src.list"
readonly DEFAULT_PORT=54329
readonly DB_NAME=heard
readonly DB_USER=postgres
readonly MARKER=".heard-pg" # marks a DIR this script created, so it may wipe it

log() { printf 'pg.sh: %s\n' "$*" >&2; }
die() {
	printf 'pg.sh: error: %s\n' "$*" >&2
	exit 1
}

is_root() { [[ "$(id -u)" -eq 0 ]]; }

# as_pg CMD...: run CMD as the cluster's OS user. PostgreSQL refuses to run as
# root, so as root we switch to the `postgres` OS user (cwd / so that it never
# trips over an unreadable working directory such as /root).
as_pg() {
	if is_root; then
		(cd / && runuser -u postgres -- "$@")
	else
		"$@"
	fi
}

# ---------------------------------------------------------------------------
# install

vector_installed() { [[ -f "${VECTOR_CONTROL}" && -f "${VECTOR_LIB}" ]]; }

# debian_mirror prints the URI of the main Debian archive (the one serving
# bookworm, not -security) from the machine's apt sources.
debian_mirror() {
	local uri=""
	local f
	for f in /etc/apt/sources.list.d/*.sources; do
		[[ -f "${f}" ]] || continue
		uri="$(awk '
			BEGIN { RS = ""; FS = "\n" }
			{
				uris = ""; suites = ""; types = ""
				for (i = 1; i <= NF; i++) {
					if ($i ~ /^URIs:/)   { uris = $i;   sub(/^URIs:[ \t]*/, "", uris) }
					if ($i ~ /^Suites:/) { suites = " " $i " " }
					if ($i ~ /^Types:/)  { types = $i }
				}
				if (types ~ /deb/ && suites ~ /[ \t]bookworm[ \t]/ && uris ~ /debian/) {
					split(uris, u, /[ \t]+/); print u[1]; exit
				}
			}' "${f}")"
		[[ -n "${uri}" ]] && break
	done
	if [[ -z "${uri}" && -f /etc/apt/sources.list ]]; then
		uri="$(awk '
			$1 == "deb" {
				n = 2
				if ($n ~ /^\[/) { while ($n !~ /\]$/ && n < NF) n++; n++ }
				if ($(n + 1) == "bookworm" && $n ~ /debian/) { print $n; exit }
			}' /etc/apt/sources.list)"
	fi
	printf '%s\n' "${uri:-http://deb.debian.org/debian}"
}

cmd_install() {
	if vector_installed; then
		log "pgvector already installed ($(sed -n "s/^default_version = '\(.*\)'/\1/p" "${VECTOR_CONTROL}"))"
		return 0
	fi
	if ! is_root; then
		if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
			sudo -n "$0" install
			return
		fi
		die "pgvector is not installed and installing it needs root: run 'sudo $0 install'"
	fi

	# Serialise concurrent installs (two test runs starting at once).
	local lock=/var/lock/heard-pgvector-install.lock
	exec 9>"${lock}"
	flock 9
	if vector_installed; then
		exec 9>&-
		return 0
	fi

	local logfile
	logfile="${TMPDIR:-/tmp}/heard-pgvector-install.log"
	: >"${logfile}"
	local work
	work="$(mktemp -d "${TMPDIR:-/tmp}/heard-pgvector-src.XXXXXX")"
	local start=${SECONDS}
	log "installing pgvector from Debian trixie source (log: ${logfile}) ..."

	# Subshell: the steps cd into the (soon deleted) work dir.
	if ! (install_pgvector "${work}") >>"${logfile}" 2>&1; then
		printf '\n---- pgvector install log (%s) ----\n' "${logfile}" >&2
		cat "${logfile}" >&2
		printf -- '---- end of log ----\n' >&2
		rm -rf "${work}"
		die "pgvector install failed (see log above)"
	fi
	rm -rf "${work}"
	vector_installed || die "pgvector install finished but ${VECTOR_CONTROL} / ${VECTOR_LIB} missing (log: ${logfile})"
	log "pgvector $(sed -n "s/^default_version = '\(.*\)'/\1/p" "${VECTOR_CONTROL}") installed in $((SECONDS - start))s"
	exec 9>&-
}

# install_pgvector WORKDIR: the actual steps; all output goes to the log.
# It is called from an `if`, where `set -e` does not apply, so every step
# checks its own status.
install_pgvector() {
	local work="$1" mirror src
	mirror="$(debian_mirror)" || return
	echo "+ Debian mirror: ${mirror}"
	# deb-src ONLY: trixie binaries must never be installable on this bookworm box.
	printf '# Added by heard scripts/pg.sh: trixie SOURCE packages only (for pgvector).\ndeb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s trixie main\n' \
		"${mirror}" >"${TRIXIE_SRC_LIST}" || return

	export DEBIAN_FRONTEND=noninteractive
	echo "+ apt-get update"
	apt-get -q update || return
	echo "+ apt-get install"
	apt-get -y -q install --no-install-recommends \
		"postgresql-server-dev-${PG_MAJOR}" build-essential dpkg-dev || return

	cd "${work}" || return
	echo "+ apt-get source pgvector"
	apt-get -y -q source pgvector || return
	src="$(find . -mindepth 1 -maxdepth 1 -type d -name 'pgvector-*' | head -n1)"
	if [[ -z "${src}" ]]; then
		echo "apt-get source produced no pgvector-* dir"
		return 1
	fi
	case "${src}" in
	./pgvector-0.8.*) ;;
	*)
		echo "expected pgvector 0.8.x from trixie, got ${src#./}"
		return 1
		;;
	esac
	cd "${src}" || return
	# OPTFLAGS="": no -march=native, so the .so never SIGILLs if the machine image
	# moves to another CPU (pgvector picks AVX/F16C code paths at run time anyway).
	# with_llvm=no: skip JIT bitcode (needs a matching clang; no value for tests).
	echo "+ make"
	make -j"$(nproc)" PG_CONFIG="${PG_CONFIG}" OPTFLAGS="" with_llvm=no || return
	echo "+ make install"
	make install PG_CONFIG="${PG_CONFIG}" OPTFLAGS="" with_llvm=no || return
}

# ---------------------------------------------------------------------------
# start / stop

default_dir() { printf '%s/heard-pg\n' "${TMPDIR:-/tmp}"; }

# safe_wipe DIR: remove DIR, but only if it is one of ours (or empty), so a
# typo in DIR can never delete something else.
safe_wipe() {
	local dir="$1"
	[[ -e "${dir}" ]] || return 0
	case "$(cd "${dir}" && pwd -P)" in
	/ | /tmp | /var/tmp | /root | /home | /usr | /etc | /var) die "refusing to remove ${dir}" ;;
	esac
	if [[ -f "${dir}/${MARKER}" ]] || [[ -z "$(ls -A "${dir}")" ]]; then
		rm -rf "${dir}"
	else
		die "${dir} exists and was not created by pg.sh (no ${MARKER}); refusing to wipe it"
	fi
}

# stop_cluster DIR: stop the server in DIR if one is running; never fails.
stop_cluster() {
	local dir="$1"
	local data="${dir}/data"
	[[ -f "${data}/postmaster.pid" ]] || return 0
	if ! as_pg "${PG_BIN}/pg_ctl" -D "${data}" -m fast -w -t 30 stop >/dev/null 2>&1; then
		as_pg "${PG_BIN}/pg_ctl" -D "${data}" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
	fi
}

cmd_crash_restart() {
	local dir="${1:?crash-restart needs the cluster DIR}"
	[[ -f "${dir}/data/postmaster.pid" ]] || die "no running cluster in ${dir}"
	as_pg "${PG_BIN}/pg_ctl" -D "${dir}/data" -l "${dir}/server.log" -m immediate -w -t 60 restart >"${dir}/pg_ctl.out" 2>&1 ||
		die "restart of ${dir} failed: $(cat "${dir}/pg_ctl.out")"
	log "restarted ${dir} (immediate stop: crash recovery on start)"
}

cmd_stop() {
	local dir="${1:-$(default_dir)}"
	stop_cluster "${dir}"
	safe_wipe "${dir}"
	log "stopped; removed ${dir}"
}

# port_busy PORT: true when something accepts TCP connections on 127.0.0.1:PORT.
# (Our unix socket lives in DIR, so no /tmp/.s.PGSQL.PORT lock can collide.)
port_busy() {
	local port="$1"
	if (exec 3<>"/dev/tcp/127.0.0.1/${port}") 2>/dev/null; then
		return 0
	fi
	return 1
}

# free_port START: first port >= START that looks free.
free_port() {
	local port="$1" i
	for ((i = 0; i < 200; i++)); do
		if ! port_busy "${port}"; then
			printf '%s\n' "${port}"
			return 0
		fi
		port=$((port + 1))
	done
	die "no free TCP port found in ${1}..${port}"
}

psql_admin() {
	local dir="$1" port="$2" db="$3"
	shift 3
	"${PG_BIN}/psql" -X -q -v ON_ERROR_STOP=1 -h "${dir}" -p "${port}" -U "${DB_USER}" -d "${db}" "$@"
}

# do_start DIR: sets PG_URL. Leaves a running server in DIR on success.
PG_URL=""
do_start() {
	local dir="$1"
	cmd_install

	[[ -x "${PG_BIN}/initdb" ]] || die "PostgreSQL ${PG_MAJOR} server binaries not found in ${PG_BIN}"
	if is_root && ! id postgres >/dev/null 2>&1; then
		die "running as root but there is no 'postgres' OS user to run the server as"
	fi

	stop_cluster "${dir}"
	safe_wipe "${dir}"
	mkdir -p "${dir}"
	dir="$(cd "${dir}" && pwd -P)"
	touch "${dir}/${MARKER}"
	if is_root; then
		chown -R postgres: "${dir}"
		as_pg test -w "${dir}" ||
			die "the postgres OS user cannot write ${dir} (a parent dir is not accessible); use a DIR under /tmp"
	fi
	# A unix socket path is limited to 107 bytes.
	((${#dir} < 90)) || die "DIR path too long for a unix socket: ${dir}"

	local data="${dir}/data" logfile="${dir}/server.log"
	local locale_args=(--no-locale)
	if locale -a 2>/dev/null | grep -qix 'c.utf-\?8'; then
		locale_args=(--locale=C.UTF-8)
	fi
	# --no-sync only skips initdb's final flush of the brand-new (throwaway) data
	# dir; the running server still fsyncs normally.
	if ! as_pg "${PG_BIN}/initdb" -D "${data}" -U "${DB_USER}" -E UTF8 "${locale_args[@]}" \
		--auth=trust --no-sync >"${dir}/initdb.log" 2>&1; then
		cat "${dir}/initdb.log" >&2
		die "initdb failed in ${data}"
	fi

	# Throwaway-test tuning. Durability settings stay at their safe defaults
	# (fsync, synchronous_commit, full_page_writes all on) so benchmarks run
	# against this cluster measure honest commit costs.
	cat >>"${data}/postgresql.conf" <<-CONF

		# ---- heard scripts/pg.sh ----
		listen_addresses = '127.0.0.1'
		unix_socket_directories = '${dir}'
		max_connections = 200
		shared_buffers = 256MB
		fsync = on
		synchronous_commit = on
		full_page_writes = on
		timezone = 'UTC'
		log_timezone = 'UTC'
		jit = off
		huge_pages = off
	CONF
	# HEARD_PG_CONF: extra postgresql.conf lines, e.g. to load
	# pg_stat_statements while profiling a benchmark.
	if [[ -n "${HEARD_PG_CONF:-}" ]]; then
		printf '%s\n' "${HEARD_PG_CONF}" >>"${data}/postgresql.conf"
	fi

	local want="${HEARD_PG_PORT:-${DEFAULT_PORT}}"
	[[ "${want}" =~ ^[0-9]+$ ]] || die "HEARD_PG_PORT must be a number, got '${want}'"
	local port attempt started=0
	for ((attempt = 1; attempt <= 5; attempt++)); do
		port="$(free_port "${want}")"
		if [[ "${port}" != "${want}" ]]; then
			log "port ${want} is busy; using ${port}"
		fi
		rm -f "${logfile}" # fresh log per attempt (pg_ctl creates it as the server user)
		if as_pg "${PG_BIN}/pg_ctl" -D "${data}" -l "${logfile}" -o "-p ${port}" -w -t 60 start >"${dir}/pg_ctl.out" 2>&1; then
			started=1
			break
		fi
		# Lost a race for the port? Try the next one; any other failure is fatal.
		if grep -q 'Address already in use' "${logfile}" 2>/dev/null; then
			log "port ${port} was taken while starting; retrying"
			want=$((port + 1))
			continue
		fi
		break
	done
	if ((started == 0)); then
		printf -- '---- pg_ctl output and server log (%s) ----\n' "${logfile}" >&2
		cat "${dir}/pg_ctl.out" >&2 2>/dev/null || true
		tail -n 30 "${logfile}" >&2 2>/dev/null || true
		printf -- '---- end of server log ----\n' >&2
		die "PostgreSQL failed to start in ${data} (server log above)"
	fi

	psql_admin "${dir}" "${port}" postgres -c "CREATE DATABASE ${DB_NAME}" >&2 ||
		die "could not create database ${DB_NAME}"

	# Prove pgvector loads, in a scratch database so `heard` stays pristine.
	local ver
	psql_admin "${dir}" "${port}" postgres -c "CREATE DATABASE heard_vector_check" >&2 ||
		die "could not create scratch database"
	if ! ver="$(psql_admin "${dir}" "${port}" heard_vector_check -At \
		-c "CREATE EXTENSION vector" \
		-c "SELECT extversion FROM pg_extension WHERE extname = 'vector'" 2>&1)"; then
		printf '%s\n' "${ver}" >&2
		die "CREATE EXTENSION vector failed"
	fi
	psql_admin "${dir}" "${port}" postgres -c "DROP DATABASE heard_vector_check" >&2 ||
		die "could not drop scratch database"

	PG_URL="postgres://${DB_USER}@127.0.0.1:${port}/${DB_NAME}?sslmode=disable"
	log "PostgreSQL $("${PG_BIN}/postgres" -V | awk '{print $3}') + pgvector ${ver} up on 127.0.0.1:${port} (dir ${dir}, socket in dir)"
}

cmd_start() {
	local dir="${1:-$(default_dir)}"
	do_start "${dir}"
	printf '%s\n' "${PG_URL}"
}

# ---------------------------------------------------------------------------
# run

RUN_DIR=""
RUN_STARTED=0
run_cleanup() {
	local status=$?
	trap - EXIT INT TERM
	if ((RUN_STARTED == 0 && status != 0)); then
		log "error: PostgreSQL could not be started; the command was NOT run"
	fi
	if [[ -n "${RUN_DIR}" && -d "${RUN_DIR}" ]]; then
		stop_cluster "${RUN_DIR}"
		safe_wipe "${RUN_DIR}" || true
	fi
	exit "${status}"
}

cmd_run() {
	(($# > 0)) || die "usage: $0 run CMD [ARGS...]"
	if [[ -n "${HEARD_PG_DIR:-}" ]]; then
		RUN_DIR="${HEARD_PG_DIR}"
	else
		RUN_DIR="$(mktemp -d "${TMPDIR:-/tmp}/heard-pg-run.XXXXXX")"
		touch "${RUN_DIR}/${MARKER}"
	fi
	trap run_cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM

	do_start "${RUN_DIR}" # exits non-zero (never returns) if the server cannot start
	[[ -n "${PG_URL}" ]] || die "could not start PostgreSQL; not running: $*"
	export HEARD_TEST_DATABASE_URL="${PG_URL}"
	RUN_STARTED=1

	local status=0
	"$@" || status=$?
	exit "${status}"
}

# ---------------------------------------------------------------------------

usage() {
	sed -n '2,/^set -/{/^#/s/^# \{0,1\}//p}' "$0" >&2
}

main() {
	local sub="${1:-}"
	(($# > 0)) && shift
	case "${sub}" in
	install) cmd_install ;;
	start) cmd_start "$@" ;;
	stop) cmd_stop "$@" ;;
	crash-restart) cmd_crash_restart "$@" ;;
	run) cmd_run "$@" ;;
	-h | --help | help)
		usage
		;;
	*)
		usage
		exit 2
		;;
	esac
}

main "$@"
