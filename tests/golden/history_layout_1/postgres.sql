--
-- PostgreSQL database dump
--


-- Dumped from database version 15.20 (Debian 15.20-0+deb12u1)
-- Dumped by pg_dump version 15.20 (Debian 15.20-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: _migrator_backup_1_1_0_1; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public._migrator_backup_1_1_0_1 (
    id integer,
    author_id integer
);


--
-- Name: _migrator_backup_1_2_0_1; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public._migrator_backup_1_2_0_1 (
    id integer,
    post_title character varying(200)
);


--
-- Name: articles; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.articles (
    id integer NOT NULL,
    post_title character varying(300) NOT NULL,
    body text,
    status character varying(20) DEFAULT 'draft'::character varying NOT NULL,
    created_at timestamp without time zone NOT NULL
);


--
-- Name: articles_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.articles_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: articles_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.articles_id_seq OWNED BY public.articles.id;


--
-- Name: comments; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.comments (
    id integer NOT NULL,
    post_id integer NOT NULL,
    body text NOT NULL,
    created_at timestamp without time zone NOT NULL
);


--
-- Name: comments_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.comments_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: comments_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.comments_id_seq OWNED BY public.comments.id;


--
-- Name: schema_migrations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.schema_migrations (
    id integer NOT NULL,
    version character varying(64) NOT NULL,
    description text,
    checksum character varying(64),
    applied_at timestamp without time zone NOT NULL,
    execution_ms integer NOT NULL,
    inverse text,
    state character varying(16) NOT NULL,
    detail text,
    applied_by character varying(255),
    tool_version character varying(32),
    fingerprint character varying(64),
    schema_after text
);


--
-- Name: schema_migrations_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.schema_migrations_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: schema_migrations_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.schema_migrations_id_seq OWNED BY public.schema_migrations.id;


--
-- Name: tags; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.tags (
    id integer NOT NULL,
    name character varying(50) NOT NULL,
    article_id integer
);


--
-- Name: tags_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.tags_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: tags_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.tags_id_seq OWNED BY public.tags.id;


--
-- Name: users; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.users (
    id integer NOT NULL,
    username character varying(80) NOT NULL,
    email character varying(255) NOT NULL,
    created_at timestamp without time zone NOT NULL,
    age integer
);


--
-- Name: users_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.users_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: users_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.users_id_seq OWNED BY public.users.id;


--
-- Name: articles id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.articles ALTER COLUMN id SET DEFAULT nextval('public.articles_id_seq'::regclass);


--
-- Name: comments id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.comments ALTER COLUMN id SET DEFAULT nextval('public.comments_id_seq'::regclass);


--
-- Name: schema_migrations id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.schema_migrations ALTER COLUMN id SET DEFAULT nextval('public.schema_migrations_id_seq'::regclass);


--
-- Name: tags id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tags ALTER COLUMN id SET DEFAULT nextval('public.tags_id_seq'::regclass);


--
-- Name: users id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.users ALTER COLUMN id SET DEFAULT nextval('public.users_id_seq'::regclass);


--
-- Data for Name: _migrator_backup_1_1_0_1; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public._migrator_backup_1_1_0_1 VALUES (1, 1);
INSERT INTO public._migrator_backup_1_1_0_1 VALUES (2, 2);


--
-- Data for Name: _migrator_backup_1_2_0_1; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public._migrator_backup_1_2_0_1 VALUES (1, 'Hello');
INSERT INTO public._migrator_backup_1_2_0_1 VALUES (2, 'Café');


--
-- Data for Name: articles; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.articles VALUES (1, 'Hello', NULL, 'draft', '2026-01-04 09:00:00');
INSERT INTO public.articles VALUES (2, 'Café', 'b', 'published', '2026-01-05 09:00:00');


--
-- Data for Name: comments; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.comments VALUES (1, 1, 'first', '2026-01-06 08:00:00');
INSERT INTO public.comments VALUES (2, 2, 'second', '2026-01-06 08:30:00');


--
-- Data for Name: schema_migrations; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.schema_migrations VALUES (2, 'v1.1.0', '', '67b770e8c46fcc9d09a2a87ab4537ce3222731c06f52b61e07e5656bf3736175', '2026-12-03 17:08:29', 21, '[{"action": "add_index", "table": "comments", "columns": ["post_id"], "name": "post_id", "undoes": {"operation": 6, "action": "drop_index"}}, {"action": "drop_index", "table": "articles", "index_name": "articles_status_created_at", "undoes": {"operation": 5, "action": "add_index"}}, {"action": "rename_table", "old_name": "articles", "new_name": "posts", "undoes": {"operation": 4, "action": "rename_table"}}, {"action": "drop_not_null", "table": "comments", "column": "post_id", "undoes": {"operation": 3, "action": "add_not_null"}}, {"action": "rename_column", "table": "posts", "old_name": "post_title", "new_name": "title", "undoes": {"operation": 2, "action": "rename_column"}}, {"action": "add_column", "table": "posts", "column_name": "author_id", "field": {"type": "ForeignKeyField", "constraint_name": "posts_author_id_fkey", "index": false, "model": "users", "null": true, "on_delete": "CASCADE"}, "undoes": {"operation": 1, "action": "drop_column"}}, {"action": "restore_data", "table": "posts", "columns": ["author_id"], "backup": "_migrator_backup_1_1_0_1", "key": ["id"], "required": ["author_id"], "undoes": {"operation": 1, "action": "drop_column"}}, {"action": "add_not_null", "table": "posts", "column": "author_id", "fill": true, "undoes": {"operation": 1, "action": "drop_column"}}, {"action": "add_index", "table": "posts", "columns": ["author_id"], "name": "posts_author_id", "undoes": {"operation": 1, "action": "drop_column"}}, {"action": "drop_column", "table": "users", "column_name": "age", "undoes": {"operation": 0, "action": "add_column"}}]', 'applied', NULL, 'root@vm', '0.2.0', '41624cad737bedaf94bf4fa5ec00c298b597021fadcca47c39a49860b251ebac', NULL);
INSERT INTO public.schema_migrations VALUES (1, 'v1.0.0', 'Users, posts and comments', '10cc1ba98283304367a6a20fe161bf61e159dfae414da3899eb1e7fb8af99d93', '2026-12-03 17:08:28', 65, '[{"action": "drop_index", "table": "comments", "index_name": "post_id", "undoes": {"operation": 3, "action": "add_index"}}, {"action": "drop_table", "table": "comments", "undoes": {"operation": 2, "action": "create_table"}}, {"action": "drop_table", "table": "posts", "undoes": {"operation": 1, "action": "create_table"}}, {"action": "drop_table", "table": "users", "undoes": {"operation": 0, "action": "create_table"}}]', 'applied', NULL, 'root@vm', '0.2.0', 'c33b68bd18847bf273ff65f9af98d1048a22ab64f09ef91a9b10eeddd1876225', NULL);
INSERT INTO public.schema_migrations VALUES (3, 'v1.2.0', 'Tags, longer titles, and a server default for status', 'e4223c9d2c31b6a61ce8d641c7826bb0e7b23f395b3815083d4fe6ffc9f9ea5b', '2026-12-03 17:08:29', 13, '[{"action": "drop_default", "table": "articles", "column": "status", "undoes": {"operation": 2, "action": "add_default"}}, {"action": "alter_column_type", "table": "articles", "column": "post_title", "field": {"type": "CharField", "max_length": 200, "null": false}, "undoes": {"operation": 1, "action": "alter_column_type"}}, {"action": "restore_data", "table": "articles", "columns": ["post_title"], "backup": "_migrator_backup_1_2_0_1", "key": ["id"], "undoes": {"operation": 1, "action": "alter_column_type"}}, {"action": "drop_table", "table": "tags", "undoes": {"operation": 0, "action": "create_table"}}]', 'applied', NULL, 'root@vm', '0.2.0', '96c5fa3093d811ffb950d073b9d4c4825eaa51f76b79b6d378f514d8a3751792', '{"articles": {"columns": [{"default": null, "name": "body", "null": true, "primary_key": false, "type": "text"}, {"default": null, "name": "created_at", "null": false, "primary_key": false, "type": "timestamp without time zone"}, {"default": null, "name": "id", "null": false, "primary_key": true, "type": "integer"}, {"default": null, "name": "post_title", "null": false, "primary_key": false, "type": "character varying(300)"}, {"default": "''draft''::character varying", "name": "status", "null": false, "primary_key": false, "type": "character varying(20)"}], "foreign_keys": [], "indexes": [{"columns": ["status", "created_at"], "name": "articles_status_created_at", "unique": true}]}, "comments": {"columns": [{"default": null, "name": "body", "null": false, "primary_key": false, "type": "text"}, {"default": null, "name": "created_at", "null": false, "primary_key": false, "type": "timestamp without time zone"}, {"default": null, "name": "id", "null": false, "primary_key": true, "type": "integer"}, {"default": null, "name": "post_id", "null": false, "primary_key": false, "type": "integer"}], "foreign_keys": [], "indexes": []}, "tags": {"columns": [{"default": null, "name": "article_id", "null": true, "primary_key": false, "type": "integer"}, {"default": null, "name": "id", "null": false, "primary_key": true, "type": "integer"}, {"default": null, "name": "name", "null": false, "primary_key": false, "type": "character varying(50)"}], "foreign_keys": [{"column": "article_id", "name": "tags_article_id_fkey", "on_delete": "CASCADE", "on_update": null, "references": "articles.id"}], "indexes": [{"columns": ["article_id"], "name": "tags_article_id", "unique": false}, {"columns": ["name"], "name": "tags_name", "unique": true}]}, "users": {"columns": [{"default": null, "name": "age", "null": true, "primary_key": false, "type": "integer"}, {"default": null, "name": "created_at", "null": false, "primary_key": false, "type": "timestamp without time zone"}, {"default": null, "name": "email", "null": false, "primary_key": false, "type": "character varying(255)"}, {"default": null, "name": "id", "null": false, "primary_key": true, "type": "integer"}, {"default": null, "name": "username", "null": false, "primary_key": false, "type": "character varying(80)"}], "foreign_keys": [], "indexes": [{"columns": ["username"], "name": "users_username", "unique": true}]}}');


--
-- Data for Name: tags; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: users; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.users VALUES (1, 'ada', 'ada@example.com', '2026-01-02 10:00:00', NULL);
INSERT INTO public.users VALUES (2, 'zoë', 'zoe@example.com', '2026-01-03 11:30:00', NULL);


--
-- Name: articles_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.articles_id_seq', 2, true);


--
-- Name: comments_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.comments_id_seq', 2, true);


--
-- Name: schema_migrations_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.schema_migrations_id_seq', 3, true);


--
-- Name: tags_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.tags_id_seq', 1, false);


--
-- Name: users_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.users_id_seq', 2, true);


--
-- Name: comments comments_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.comments
    ADD CONSTRAINT comments_pkey PRIMARY KEY (id);


--
-- Name: articles posts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.articles
    ADD CONSTRAINT posts_pkey PRIMARY KEY (id);


--
-- Name: schema_migrations schema_migrations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.schema_migrations
    ADD CONSTRAINT schema_migrations_pkey PRIMARY KEY (id);


--
-- Name: tags tags_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tags
    ADD CONSTRAINT tags_pkey PRIMARY KEY (id);


--
-- Name: users users_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);


--
-- Name: _migrator_backup_1_1_0_1_key; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX _migrator_backup_1_1_0_1_key ON public._migrator_backup_1_1_0_1 USING btree (id);


--
-- Name: _migrator_backup_1_2_0_1_key; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX _migrator_backup_1_2_0_1_key ON public._migrator_backup_1_2_0_1 USING btree (id);


--
-- Name: articles_status_created_at; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX articles_status_created_at ON public.articles USING btree (status, created_at);


--
-- Name: schema_migrations_version; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX schema_migrations_version ON public.schema_migrations USING btree (version);


--
-- Name: tags_article_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX tags_article_id ON public.tags USING btree (article_id);


--
-- Name: tags_name; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX tags_name ON public.tags USING btree (name);


--
-- Name: users_username; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX users_username ON public.users USING btree (username);


--
-- Name: tags tags_article_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tags
    ADD CONSTRAINT tags_article_id_fkey FOREIGN KEY (article_id) REFERENCES public.articles(id) ON DELETE CASCADE;


--
-- PostgreSQL database dump complete
--


