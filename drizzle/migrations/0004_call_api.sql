ALTER TABLE `model_calls` ADD `api` text;--> statement-breakpoint
UPDATE `model_calls` SET `api` = CASE
	WHEN rtrim(`endpoint`, '/') LIKE '%/responses' OR `endpoint` LIKE '%/responses/%' THEN 'responses'
	WHEN rtrim(`endpoint`, '/') LIKE '%/messages' OR `endpoint` LIKE '%/messages/%' THEN 'messages'
	WHEN rtrim(`endpoint`, '/') IN ('/api/v2/chat', '/api/v2/image') THEN 'aigne'
	WHEN `type` = 'embedding' THEN 'embeddings'
	WHEN `type` = 'image' THEN 'images'
	ELSE 'chat'
END;
