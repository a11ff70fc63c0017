ALTER TABLE `usage_rollups` ADD `dur_sketch` blob;--> statement-breakpoint
ALTER TABLE `usage_rollups` ADD `ttft_sketch` blob;--> statement-breakpoint
ALTER TABLE `usage_rollups` ADD `dur_min` integer;--> statement-breakpoint
ALTER TABLE `usage_rollups` ADD `dur_max` integer;--> statement-breakpoint
ALTER TABLE `usage_rollups` ADD `ttft_min` integer;--> statement-breakpoint
ALTER TABLE `usage_rollups` ADD `ttft_max` integer;
