-- The demo's sample table (MariaDB, database datarsync_demo). Idempotent: rows are only added
-- when the table is empty, so re-running `datarsync up` keeps whatever you changed since.
CREATE TABLE IF NOT EXISTS articles (
  id            BIGINT PRIMARY KEY AUTO_INCREMENT,
  title         VARCHAR(200) NOT NULL,
  body          TEXT NOT NULL,
  lang          VARCHAR(8) NOT NULL,
  published_at  DATETIME(6) NULL,
  internal_note VARCHAR(200) NULL
) CHARACTER SET utf8mb4;

INSERT INTO articles (title, body, lang, published_at, internal_note)
SELECT * FROM (
  SELECT 'Keeping Milvus in step' AS title, 'Change data capture streams every insert, update and delete into the vector store.' AS body, 'en' AS lang, TIMESTAMP('2026-01-05 09:30:00') AS published_at, 'draft 3' AS internal_note UNION ALL
  SELECT 'Binlog basics', 'MySQL and MariaDB write row images to the binary log; Debezium reads them.', 'en', TIMESTAMP('2026-02-11 14:00:00'), NULL UNION ALL
  SELECT '向量数据库同步', '数据变更实时同步到 Milvus，插入、更新和删除都不会丢失。', 'zh', TIMESTAMP('2026-03-01 08:15:00'), NULL UNION ALL
  SELECT 'Emoji are text too 🚀', 'UTF-8 four-byte characters survive the whole pipeline ✅', 'en', NULL, NULL UNION ALL
  SELECT 'Resuming after a crash', 'Offsets live in Redis, so a restarted listener continues where it stopped.', 'en', TIMESTAMP('2026-04-20 17:45:00'), 'check wording'
) AS seed
WHERE NOT EXISTS (SELECT 1 FROM articles);
