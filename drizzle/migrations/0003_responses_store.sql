CREATE TABLE `stored_responses` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`call_id` text,
	`input` text NOT NULL,
	`response` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `stored_responses_user_idx` ON `stored_responses` (`user_id`);--> statement-breakpoint
CREATE INDEX `stored_responses_created_idx` ON `stored_responses` (`created_at`);--> statement-breakpoint
ALTER TABLE `model_calls` ADD `notes` text;
