#!/bin/sh
# Installs and configures Request Tracker 5 from Debian's packages for `npm run bench:peer`.
# Idempotent: every step checks whether it is already done. Needs root (apt-get) and a
# PostgreSQL at $PGHOST:$PGPORT with trust auth for $PGUSER.
#
#   setup-rt.sh <database-name> <web-port>
#
# The RT database is created with RT's own `rt-setup-database-5 --action init` (schema, ACLs,
# initialdata), not through dbconfig-common, so the package install is told "no thanks".
set -eu

DB="${1:-peer_rt}"
PORT="${2:-8091}"
PGHOST="${PGHOST:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"
PGUSER="${PGUSER:-postgres}"
SITE_DIR=/etc/request-tracker5/RT_SiteConfig.d

if [ "$(id -u)" != 0 ]; then
  echo "setup-rt: needs root to install Debian packages" >&2
  exit 1
fi

if ! dpkg-query -W -f='${Status}' request-tracker5 2>/dev/null | grep -q 'install ok installed' \
   || ! dpkg-query -W -f='${Status}' rt5-standalone 2>/dev/null | grep -q 'install ok installed'; then
  echo "setup-rt: installing request-tracker5 (Debian packages)" >&2
  # Non-interactive answers; the database is set up below, not by dbconfig-common.
  debconf-set-selections <<SEL
request-tracker5 request-tracker5/rtname string bench.example
request-tracker5 request-tracker5/organization string bench.example
request-tracker5 request-tracker5/correspondaddress string support@bench.example
request-tracker5 request-tracker5/commentaddress string comment@bench.example
request-tracker5 request-tracker5/webbaseurl string http://127.0.0.1:${PORT}
request-tracker5 request-tracker5/webpath string
request-tracker5 request-tracker5/handle-siteconfig-permissions boolean false
request-tracker5 request-tracker5/install-cronjobs boolean false
request-tracker5 request-tracker5/dbconfig-install boolean false
dma dma/mailname string bench.example
dma dma/relayhost string
SEL
  apt-get update -qq
  # dma is the smallest mail transport agent that satisfies RT's dependency and listens on no port;
  # dbconfig-no-thanks keeps dbconfig-common from touching the database; rt5-standalone brings Starlet.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    dma dbconfig-no-thanks request-tracker5 rt5-db-postgresql rt5-standalone rt5-clients \
    libdbd-pg-perl postgresql-client >&2
fi

mkdir -p "$SITE_DIR"
# Our overrides sort after the package's 50-debconf.pm / 51-dbconfig-common.pm.
cat > "$SITE_DIR/90-peer-bench.pm" <<CONF
# Written by Replyby's bench/peer/setup-rt.sh (npm run bench:peer).
Set(\$DatabaseType, 'Pg');
Set(\$DatabaseHost, '${PGHOST}');
Set(\$DatabasePort, '${PGPORT}');
Set(\$DatabaseName, '${DB}');
Set(\$DatabaseUser, '${PGUSER}');
Set(\$DatabasePassword, '');
Set(\$DatabaseAdmin, '${PGUSER}');
Set(\$DatabaseAdminPassword, '');
Set(\$WebDomain, '127.0.0.1');
Set(\$WebPort, ${PORT});
Set(\$WebBaseURL, 'http://127.0.0.1:${PORT}');
Set(\$WebPath, '');
Set(\$rtname, 'bench.example');
Set(\$Organization, 'bench.example');
Set(\$CorrespondAddress, 'support@bench.example');
Set(\$CommentAddress, 'comment@bench.example');
# Outgoing mail would go through the local MTA for every ticket; write it nowhere instead so the
# bench measures ticket handling, as the Replyby side (outbox rows, no delivery) does.
Set(\$MailCommand, 'mbox');
Set(\$LogToSyslog, undef);
Set(\$LogToSTDERR, 'error');
Set(\$LogToFile, undef);
Set(\$RestrictReferrer, 0);
Set(\$RestrictLoginReferrer, 0);
Set(@ReferrerWhitelist, qw(127.0.0.1:${PORT} localhost:${PORT}));
Set(\$DevelMode, 0);
1;
CONF

PSQL="psql -h $PGHOST -p $PGPORT -U $PGUSER -v ON_ERROR_STOP=1 -tA"
if ! $PSQL -d "$DB" -c "select 1 from pg_tables where tablename='tickets'" 2>/dev/null | grep -q 1; then
  echo "setup-rt: creating RT database $DB" >&2
  $PSQL -d postgres -c "drop database if exists \"$DB\"" >&2
  # rt-setup-database creates the database, schema, ACLs and initial data (root's password: "password").
  /usr/sbin/rt-setup-database-5 --action init --dba "$PGUSER" --dba-password '' </dev/null >&2
fi

# Mail from unknown senders creates tickets in General and replies to them: the rights every RT site that takes
# mail grants to Everyone (RT's own hint when rt-mailgate is refused).
EVERYONE_CAN_CREATE="select count(*) from acl a join groups g on g.id = a.principalid
  where g.domain = 'SystemInternal' and g.name = 'Everyone' and a.rightname in ('CreateTicket', 'ReplyToTicket')"
if [ "$($PSQL -d "$DB" -c "$EVERYONE_CAN_CREATE")" != 2 ]; then
  echo "setup-rt: granting Everyone CreateTicket and ReplyToTicket on General" >&2
  DATA=$(mktemp)
  cat > "$DATA" <<'PERL'
@ACL = (
  { GroupDomain => 'SystemInternal', GroupType => 'Everyone', Queue => 'General', Right => 'CreateTicket' },
  { GroupDomain => 'SystemInternal', GroupType => 'Everyone', Queue => 'General', Right => 'ReplyToTicket' },
);
1;
PERL
  /usr/sbin/rt-setup-database-5 --action insert --datafile "$DATA" --skip-create --dba "$PGUSER" --dba-password '' </dev/null >&2
  rm -f "$DATA"
fi
echo "setup-rt: ready (database $DB, port $PORT)" >&2
