CREATE TABLE `credit_holds` (
	`call_id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`amount_micro` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `credit_holds_created_idx` ON `credit_holds` (`created_at`);