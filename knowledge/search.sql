-- Dutch full-text search for the learning space, without contrib extensions.
--
-- Loaded by knowledge/migrations (every statement is idempotent); a test checks that the
-- functions installed in the database equal the bodies in this file. See docs/adr/0006.
--
-- The text search configuration public.knowledge_nl is a copy of pg_catalog.dutch, made by
-- the migration itself (CREATE TEXT SEARCH CONFIGURATION has no OR REPLACE).

-- Accents and Dutch plural forms the Snowball stemmer leaves alone, folded the same way in
-- documents and queries: what `unaccent` would do for the Latin letters Dutch text meets,
-- plus "-ies", "-ieën", "-eeën", "-jes" and "'s" plurals (kascommissies, categorieën,
-- ideeën, bonnetjes, foto's), which dutch_stem does not reduce to their singular.
CREATE OR REPLACE FUNCTION public.knowledge_normalise(document text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
SELECT regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
    lower(replace(replace(replace(replace(replace(replace(replace(replace(translate(document,
        'ÀÁÂÃÄÅĀĂĄàáâãäåāăąÇĆĈĊČçćĉċčĎĐďđÈÉÊËĒĔĖĘĚèéêëēĕėęěĜĞĠĢĝğġģĤĦĥħÌÍÎÏĨĪĬĮİìíîïĩīĭįıĴĵĶķĹĻĽĿŁĺļľŀłÑŃŅŇñńņňÒÓÔÕÖØŌŎŐòóôõöøōŏőŔŖŘŕŗřŚŜŞŠśŝşšŢŤŦţťŧÙÚÛÜŨŪŬŮŰŲùúûüũūŭůűųŴŵÝŸŶýÿŷŹŻŽźżž',
        'aaaaaaaaaaaaaaaaaaccccccccccddddeeeeeeeeeeeeeeeeeegggggggghhhhiiiiiiiiiiiiiiiiiijjkkllllllllllnnnnnnnnoooooooooooooooooorrrrrrssssssssttttttuuuuuuuuuuuuuuuuuuuuwwyyyyyyzzzzzz'),
        'ß', 'ss'), 'Æ', 'ae'), 'æ', 'ae'), 'Œ', 'oe'), 'œ', 'oe'), 'Ĳ', 'ij'), 'ĳ', 'ij'), '’', '''')),
    '([a-z])''s\M', '\1', 'g'),
    '([a-z]{3,})ies\M', '\1ie', 'g'),
    '([a-z]{2,})ieen\M', '\1ie', 'g'),
    '([a-z]{2,})eeen\M', '\1ee', 'g'),
    '([a-z]{2,})jes\M', '\1je', 'g')
$$;

-- The query: websearch syntax ("quotes", or, -not) over the normalised text.
CREATE OR REPLACE FUNCTION public.knowledge_query(query text) RETURNS tsquery
LANGUAGE sql STABLE STRICT PARALLEL SAFE
AS $$
SELECT websearch_to_tsquery('public.knowledge_nl', public.knowledge_normalise(query))
$$;

-- For ts_headline over the original text (with its accents and plurals): the query, the
-- query as typed, and the plural forms of its lexemes, so "kascommissies" and "bonnetjes"
-- in a snippet are marked for a search on "kascommissie".
CREATE OR REPLACE FUNCTION public.knowledge_highlight_query(query text) RETURNS tsquery
LANGUAGE sql STABLE STRICT PARALLEL SAFE
AS $$
SELECT public.knowledge_query(query)
    || websearch_to_tsquery('public.knowledge_nl', query)
    || coalesce(to_tsquery('simple', (
        SELECT string_agg(lexeme || ending, ' | ')
        FROM unnest(tsvector_to_array(
                to_tsvector('public.knowledge_nl', public.knowledge_normalise(query)))) AS lexeme,
             unnest(ARRAY['s', 'en', 'es']) AS ending
        WHERE lexeme ~ '^[a-z]+(ie|ee|j)$'
    )), ''::tsquery)
$$;

-- Title above summary and keywords above body.
CREATE OR REPLACE FUNCTION public.knowledge_article_vector() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('public.knowledge_nl',
            public.knowledge_normalise(coalesce(NEW.title, ''))), 'A')
        || setweight(to_tsvector('public.knowledge_nl',
            public.knowledge_normalise(coalesce(NEW.summary, '') || ' '
                || array_to_string(NEW.keywords, ' '))), 'B')
        || setweight(to_tsvector('public.knowledge_nl',
            public.knowledge_normalise(coalesce(NEW.body_text, ''))), 'C');
    RETURN NEW;
END
$$;

CREATE OR REPLACE TRIGGER knowledge_article_vector
    BEFORE INSERT OR UPDATE OF title, summary, keywords, body_text, search_vector
    ON public.knowledge_article
    FOR EACH ROW EXECUTE FUNCTION public.knowledge_article_vector();

-- Title above the question's text above what the answers say.
CREATE OR REPLACE FUNCTION public.knowledge_post_vector() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('public.knowledge_nl',
            public.knowledge_normalise(coalesce(NEW.title, ''))), 'A')
        || setweight(to_tsvector('public.knowledge_nl',
            public.knowledge_normalise(coalesce(NEW.body_text, ''))), 'B')
        || setweight(to_tsvector('public.knowledge_nl',
            public.knowledge_normalise(coalesce(NEW.replies_text, ''))), 'C');
    RETURN NEW;
END
$$;

CREATE OR REPLACE TRIGGER knowledge_post_vector
    BEFORE INSERT OR UPDATE OF title, body_text, replies_text, search_vector
    ON public.knowledge_post
    FOR EACH ROW EXECUTE FUNCTION public.knowledge_post_vector();
