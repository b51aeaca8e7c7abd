/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `_migrator_backup_1_1_0_1` (
  `id` int(11) NOT NULL DEFAULT 0,
  `author_id` int(11) NOT NULL,
  UNIQUE KEY `_migrator_backup_1_1_0_1_key` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `_migrator_backup_1_1_0_1` VALUES (1,1);
INSERT INTO `_migrator_backup_1_1_0_1` VALUES (2,2);
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `_migrator_backup_1_2_0_1` (
  `id` int(11) NOT NULL DEFAULT 0,
  `post_title` varchar(200) NOT NULL,
  UNIQUE KEY `_migrator_backup_1_2_0_1_key` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `_migrator_backup_1_2_0_1` VALUES (1,'Hello');
INSERT INTO `_migrator_backup_1_2_0_1` VALUES (2,'Café');
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `articles` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `post_title` varchar(300) NOT NULL,
  `body` text DEFAULT NULL,
  `status` varchar(20) NOT NULL DEFAULT 'draft',
  `created_at` datetime NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `articles_status_created_at` (`status`,`created_at`)
) ENGINE=InnoDB AUTO_INCREMENT=3 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `articles` VALUES (1,'Hello',NULL,'draft','2026-01-04 09:00:00');
INSERT INTO `articles` VALUES (2,'Café','b','published','2026-01-05 09:00:00');
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `comments` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `post_id` int(11) NOT NULL,
  `body` text NOT NULL,
  `created_at` datetime NOT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB AUTO_INCREMENT=3 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `comments` VALUES (1,1,'first','2026-01-06 08:00:00');
INSERT INTO `comments` VALUES (2,2,'second','2026-01-06 08:30:00');
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `schema_migrations` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `version` varchar(64) NOT NULL,
  `description` text DEFAULT NULL,
  `checksum` varchar(64) DEFAULT NULL,
  `applied_at` datetime NOT NULL,
  `execution_ms` int(11) NOT NULL,
  `inverse` text DEFAULT NULL,
  `state` varchar(16) NOT NULL,
  `detail` text DEFAULT NULL,
  `applied_by` varchar(255) DEFAULT NULL,
  `tool_version` varchar(32) DEFAULT NULL,
  `fingerprint` varchar(64) DEFAULT NULL,
  `schema_after` text DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `schema_migrations_version` (`version`)
) ENGINE=InnoDB AUTO_INCREMENT=4 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `schema_migrations` VALUES (1,'v1.0.0','Users, posts and comments','10cc1ba98283304367a6a20fe161bf61e159dfae414da3899eb1e7fb8af99d93','2026-12-03 17:08:30',35,'[{\"action\": \"drop_index\", \"table\": \"comments\", \"index_name\": \"post_id\", \"undoes\": {\"operation\": 3, \"action\": \"add_index\"}}, {\"action\": \"drop_table\", \"table\": \"comments\", \"undoes\": {\"operation\": 2, \"action\": \"create_table\"}}, {\"action\": \"drop_table\", \"table\": \"posts\", \"undoes\": {\"operation\": 1, \"action\": \"create_table\"}}, {\"action\": \"drop_table\", \"table\": \"users\", \"undoes\": {\"operation\": 0, \"action\": \"create_table\"}}]','applied',NULL,'root@vm','0.2.0','8d6765f74bd331e81d37452c7d53922f65005cafc43c629d76b877679d540f3e',NULL);
INSERT INTO `schema_migrations` VALUES (2,'v1.1.0','','67b770e8c46fcc9d09a2a87ab4537ce3222731c06f52b61e07e5656bf3736175','2026-12-03 17:08:30',466,'[{\"action\": \"add_index\", \"table\": \"comments\", \"columns\": [\"post_id\"], \"name\": \"post_id\", \"undoes\": {\"operation\": 6, \"action\": \"drop_index\"}}, {\"action\": \"drop_index\", \"table\": \"articles\", \"index_name\": \"articles_status_created_at\", \"undoes\": {\"operation\": 5, \"action\": \"add_index\"}}, {\"action\": \"rename_table\", \"old_name\": \"articles\", \"new_name\": \"posts\", \"undoes\": {\"operation\": 4, \"action\": \"rename_table\"}}, {\"action\": \"drop_not_null\", \"table\": \"comments\", \"column\": \"post_id\", \"undoes\": {\"operation\": 3, \"action\": \"add_not_null\"}}, {\"action\": \"rename_column\", \"table\": \"posts\", \"old_name\": \"post_title\", \"new_name\": \"title\", \"undoes\": {\"operation\": 2, \"action\": \"rename_column\"}}, {\"action\": \"add_column\", \"table\": \"posts\", \"column_name\": \"author_id\", \"field\": {\"type\": \"ForeignKeyField\", \"constraint_name\": \"posts_ibfk_1\", \"index\": false, \"model\": \"users\", \"null\": true, \"on_delete\": \"CASCADE\"}, \"after\": \"id\", \"definition\": \"\\n  `author_id` int(11) NOT NULL\", \"undoes\": {\"operation\": 1, \"action\": \"drop_column\"}}, {\"action\": \"restore_data\", \"table\": \"posts\", \"columns\": [\"author_id\"], \"backup\": \"_migrator_backup_1_1_0_1\", \"key\": [\"id\"], \"required\": [\"author_id\"], \"undoes\": {\"operation\": 1, \"action\": \"drop_column\"}}, {\"action\": \"add_index\", \"table\": \"posts\", \"columns\": [\"author_id\"], \"name\": \"posts_author_id\", \"undoes\": {\"operation\": 1, \"action\": \"drop_column\"}}, {\"action\": \"drop_column\", \"table\": \"users\", \"column_name\": \"age\", \"undoes\": {\"operation\": 0, \"action\": \"add_column\"}}]','applied',NULL,'root@vm','0.2.0','0bd46d4f5aec39b827078c90bc9a6b648961d6a9d799ff36f9c126eb066959c7',NULL);
INSERT INTO `schema_migrations` VALUES (3,'v1.2.0','Tags, longer titles, and a server default for status','e4223c9d2c31b6a61ce8d641c7826bb0e7b23f395b3815083d4fe6ffc9f9ea5b','2026-12-03 17:08:31',243,'[{\"action\": \"drop_default\", \"table\": \"articles\", \"column\": \"status\", \"undoes\": {\"operation\": 2, \"action\": \"add_default\"}}, {\"action\": \"alter_column_type\", \"table\": \"articles\", \"column\": \"post_title\", \"field\": {\"type\": \"CharField\", \"max_length\": 200, \"null\": false}, \"undoes\": {\"operation\": 1, \"action\": \"alter_column_type\"}}, {\"action\": \"restore_data\", \"table\": \"articles\", \"columns\": [\"post_title\"], \"backup\": \"_migrator_backup_1_2_0_1\", \"key\": [\"id\"], \"undoes\": {\"operation\": 1, \"action\": \"alter_column_type\"}}, {\"action\": \"drop_table\", \"table\": \"tags\", \"undoes\": {\"operation\": 0, \"action\": \"create_table\"}}]','applied',NULL,'root@vm','0.2.0','eeabe730ed6a9f74f7b2e2ffb7a79c5402359b6467bd846b4e5868b0dd13ac68','{\"articles\": {\"columns\": [{\"default\": null, \"name\": \"body\", \"null\": true, \"primary_key\": false, \"type\": \"text\"}, {\"default\": null, \"name\": \"created_at\", \"null\": false, \"primary_key\": false, \"type\": \"datetime\"}, {\"default\": null, \"name\": \"id\", \"null\": false, \"primary_key\": true, \"type\": \"int(11)\"}, {\"default\": null, \"name\": \"post_title\", \"null\": false, \"primary_key\": false, \"type\": \"varchar(300)\"}, {\"default\": \"\'draft\'\", \"name\": \"status\", \"null\": false, \"primary_key\": false, \"type\": \"varchar(20)\"}], \"foreign_keys\": [], \"indexes\": [{\"columns\": [\"status\", \"created_at\"], \"name\": \"articles_status_created_at\", \"unique\": true}]}, \"comments\": {\"columns\": [{\"default\": null, \"name\": \"body\", \"null\": false, \"primary_key\": false, \"type\": \"text\"}, {\"default\": null, \"name\": \"created_at\", \"null\": false, \"primary_key\": false, \"type\": \"datetime\"}, {\"default\": null, \"name\": \"id\", \"null\": false, \"primary_key\": true, \"type\": \"int(11)\"}, {\"default\": null, \"name\": \"post_id\", \"null\": false, \"primary_key\": false, \"type\": \"int(11)\"}], \"foreign_keys\": [], \"indexes\": []}, \"tags\": {\"columns\": [{\"default\": null, \"name\": \"article_id\", \"null\": true, \"primary_key\": false, \"type\": \"int(11)\"}, {\"default\": null, \"name\": \"id\", \"null\": false, \"primary_key\": true, \"type\": \"int(11)\"}, {\"default\": null, \"name\": \"name\", \"null\": false, \"primary_key\": false, \"type\": \"varchar(50)\"}], \"foreign_keys\": [{\"column\": \"article_id\", \"name\": \"tags_ibfk_1\", \"on_delete\": \"CASCADE\", \"on_update\": null, \"references\": \"articles.id\"}], \"indexes\": [{\"columns\": [\"article_id\"], \"name\": \"tags_article_id\", \"unique\": false}, {\"columns\": [\"name\"], \"name\": \"tags_name\", \"unique\": true}]}, \"users\": {\"columns\": [{\"default\": null, \"name\": \"age\", \"null\": true, \"primary_key\": false, \"type\": \"int(11)\"}, {\"default\": null, \"name\": \"created_at\", \"null\": false, \"primary_key\": false, \"type\": \"datetime\"}, {\"default\": null, \"name\": \"email\", \"null\": false, \"primary_key\": false, \"type\": \"varchar(255)\"}, {\"default\": null, \"name\": \"id\", \"null\": false, \"primary_key\": true, \"type\": \"int(11)\"}, {\"default\": null, \"name\": \"username\", \"null\": false, \"primary_key\": false, \"type\": \"varchar(80)\"}], \"foreign_keys\": [], \"indexes\": [{\"columns\": [\"username\"], \"name\": \"users_username\", \"unique\": true}]}}');
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `tags` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `name` varchar(50) NOT NULL,
  `article_id` int(11) DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `tags_name` (`name`),
  KEY `tags_article_id` (`article_id`),
  CONSTRAINT `tags_ibfk_1` FOREIGN KEY (`article_id`) REFERENCES `articles` (`id`) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `users` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `username` varchar(80) NOT NULL,
  `email` varchar(255) NOT NULL,
  `created_at` datetime NOT NULL,
  `age` int(11) DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `users_username` (`username`)
) ENGINE=InnoDB AUTO_INCREMENT=3 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `users` VALUES (1,'ada','ada@example.com','2026-01-02 10:00:00',NULL);
INSERT INTO `users` VALUES (2,'zoë','zoe@example.com','2026-01-03 11:30:00',NULL);
