# shellcheck shell=bash
# MariaDB: binlog ROW/FULL, the metadata and demo databases, the suite's user. Each component has install_, start_, check_ (answers?) and ready_ (idempotent set-up).
# Sourced by deploy/local/datarsync, which sets HERE, REPO, the work folders and the settings.

install_mariadb() { command -v mariadbd >/dev/null || apt_install mariadb-server mariadb-client; }

start_mariadb() {
  local dir=$DATARSYNC_WORK/mariadb user=""
  mkdir -p "$dir/data"
  is_root && { user=mysql; chown -R mysql:mysql "$dir"; }
  if [ ! -d "$dir/data/mysql" ]; then
    step "initialising MariaDB data folder"
    mariadb-install-db --no-defaults --datadir="$dir/data" ${user:+--user=$user} \
      --auth-root-authentication-method=socket --skip-test-db >"$LOGS/mariadb-init.log" 2>&1
  fi
  launch mariadb "$dir/data" mariadbd --no-defaults ${user:+--user=$user} --datadir="$dir/data" \
    --socket="$dir/mysqld.sock" --pid-file="$dir/mysqld.pid" --port="$DATARSYNC_MARIADB_PORT" \
    --bind-address=127.0.0.1 --skip-name-resolve \
    --log-bin="$dir/data/binlog" --binlog-format=ROW --binlog-row-image=FULL --server-id=1 \
    --expire-logs-days=3 --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
    --innodb-buffer-pool-size=128M --max-connections=300 --log-error="$LOGS/mariadb.err"
}

check_mariadb() { mariadb-admin --no-defaults --socket="$DATARSYNC_WORK/mariadb/mysqld.sock" -uroot ping; }

ready_mariadb() {
  # Idempotent: databases and the suite's logins (passwords from secrets.env, kept in step).
  # The services' metadata login reaches the metadata database only; the demo source's login the
  # demo database and the binary log only; the administrative login is the tests' (fixtures).
  mariadb --no-defaults --socket="$DATARSYNC_WORK/mariadb/mysqld.sock" -uroot <<SQL
CREATE DATABASE IF NOT EXISTS \`$DATARSYNC_META_DB\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE DATABASE IF NOT EXISTS \`$DATARSYNC_DEMO_DB\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS '$DATARSYNC_DB_USER'@'%' IDENTIFIED BY '$DATARSYNC_DB_PASSWORD';
ALTER USER '$DATARSYNC_DB_USER'@'%' IDENTIFIED BY '$DATARSYNC_DB_PASSWORD';
-- Local suite only: the integration tests create and drop their own databases; binlog capture
-- needs REPLICATION SLAVE/CLIENT, both included in ALL.
GRANT ALL PRIVILEGES ON *.* TO '$DATARSYNC_DB_USER'@'%' WITH GRANT OPTION;
CREATE USER IF NOT EXISTS '$DATARSYNC_META_DB_USER'@'%' IDENTIFIED BY '$DATARSYNC_META_DB_PASSWORD';
ALTER USER '$DATARSYNC_META_DB_USER'@'%' IDENTIFIED BY '$DATARSYNC_META_DB_PASSWORD';
GRANT ALL PRIVILEGES ON \`$DATARSYNC_META_DB\`.* TO '$DATARSYNC_META_DB_USER'@'%';
CREATE USER IF NOT EXISTS '$DATARSYNC_DEMO_DB_USER'@'%' IDENTIFIED BY '$DATARSYNC_DEMO_DB_PASSWORD';
ALTER USER '$DATARSYNC_DEMO_DB_USER'@'%' IDENTIFIED BY '$DATARSYNC_DEMO_DB_PASSWORD';
-- What Debezium's MariaDB connector needs (binary log, its position, table locks for a blocking
-- snapshot), and the demo database's rows.
GRANT RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO '$DATARSYNC_DEMO_DB_USER'@'%';
GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, ALTER, INDEX, LOCK TABLES ON \`$DATARSYNC_DEMO_DB\`.* TO '$DATARSYNC_DEMO_DB_USER'@'%';
SQL
}
