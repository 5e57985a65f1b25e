"""Loading knowledge/search.sql: migrations call `load_search_sql` each time the file changes."""

from pathlib import Path

SEARCH_SQL = Path(__file__).with_name("search.sql")

CREATE_CONFIGURATION = """
DO $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM pg_ts_config c JOIN pg_namespace n ON n.oid = c.cfgnamespace
        WHERE c.cfgname = 'knowledge_nl' AND n.nspname = 'public'
    ) THEN
        CREATE TEXT SEARCH CONFIGURATION public.knowledge_nl (COPY = pg_catalog.dutch);
    END IF;
END
$$;
"""

DROP_ALL = """
DROP TRIGGER IF EXISTS knowledge_article_vector ON public.knowledge_article;
DROP TRIGGER IF EXISTS knowledge_post_vector ON public.knowledge_post;
DROP FUNCTION IF EXISTS public.knowledge_article_vector();
DROP FUNCTION IF EXISTS public.knowledge_post_vector();
DROP FUNCTION IF EXISTS public.knowledge_highlight_query(text);
DROP FUNCTION IF EXISTS public.knowledge_query(text);
DROP FUNCTION IF EXISTS public.knowledge_normalise(text);
DROP TEXT SEARCH CONFIGURATION IF EXISTS public.knowledge_nl;
"""


def load_search_sql(apps, schema_editor) -> None:
    schema_editor.execute(CREATE_CONFIGURATION, params=None)
    schema_editor.execute(SEARCH_SQL.read_text(encoding="utf-8"), params=None)


def drop_search_sql(apps, schema_editor) -> None:
    schema_editor.execute(DROP_ALL, params=None)
