CREATE TABLE `hub_instances` (
	`id` text PRIMARY KEY NOT NULL,
	`host` text NOT NULL,
	`pid` integer NOT NULL,
	`started_at` integer NOT NULL,
	`beat_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `model_calls` ADD `client_request_id` text;
--> statement-breakpoint
ALTER TABLE `model_calls` ADD `instance_id` text;
--> statement-breakpoint
CREATE INDEX `model_calls_client_request_idx` ON `model_calls` (`client_request_id`) WHERE "model_calls"."client_request_id" is not null;
--> statement-breakpoint
CREATE INDEX `model_calls_instance_processing_idx` ON `model_calls` (`instance_id`) WHERE "model_calls"."status" = 'processing';
--> statement-breakpoint
ALTER TABLE `credit_holds` ADD `instance_id` text;
