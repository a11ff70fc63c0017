CREATE TABLE `oauth_accounts` (
	`provider` text NOT NULL,
	`provider_user_id` text NOT NULL,
	`user_id` text NOT NULL,
	`email` text,
	`email_verified` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`provider`, `provider_user_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `oauth_user_idx` ON `oauth_accounts` (`user_id`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`expires_at` integer NOT NULL,
	`ip` text,
	`user_agent` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sessions_user_idx` ON `sessions` (`user_id`);--> statement-breakpoint
CREATE TABLE `setup_tokens` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`avatar_url` text,
	`role` text DEFAULT 'member' NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`last_sign_in_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_unique` ON `users` (`email`);--> statement-breakpoint
CREATE INDEX `users_role_idx` ON `users` (`role`);--> statement-breakpoint
CREATE TABLE `access_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`name` text NOT NULL,
	`app_name` text,
	`prefix` text NOT NULL,
	`key_hash` text NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`expires_at` integer,
	`allowed_models` text,
	`limits` text,
	`last_used_at` integer,
	`revoked_at` integer,
	`rotated_from_id` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `access_keys_key_hash_unique` ON `access_keys` (`key_hash`);--> statement-breakpoint
CREATE INDEX `access_keys_user_idx` ON `access_keys` (`user_id`);--> statement-breakpoint
CREATE INDEX `access_keys_app_idx` ON `access_keys` (`app_name`);--> statement-breakpoint
CREATE TABLE `connect_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_code` text NOT NULL,
	`device_code_hash` text,
	`app_name` text,
	`app_logo` text,
	`challenge` text,
	`status` text DEFAULT 'pending' NOT NULL,
	`user_id` text,
	`access_key_id` text,
	`sealed_key` text,
	`expires_at` integer NOT NULL,
	`last_polled_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`access_key_id`) REFERENCES `access_keys`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `connect_sessions_user_code_unique` ON `connect_sessions` (`user_code`);--> statement-breakpoint
CREATE UNIQUE INDEX `connect_sessions_device_code_hash_unique` ON `connect_sessions` (`device_code_hash`);--> statement-breakpoint
CREATE TABLE `credentials` (
	`id` text PRIMARY KEY NOT NULL,
	`provider_id` text NOT NULL,
	`name` text NOT NULL,
	`sealed_secret` text,
	`secret_last4` text,
	`base_url` text,
	`weight` integer DEFAULT 1 NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`health` text DEFAULT 'healthy' NOT NULL,
	`consecutive_failures` integer DEFAULT 0 NOT NULL,
	`cooldown_until` integer,
	`last_error` text,
	`last_error_at` integer,
	`last_used_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`provider_id`) REFERENCES `providers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `credentials_provider_idx` ON `credentials` (`provider_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `credentials_name_uq` ON `credentials` (`provider_id`,`name`);--> statement-breakpoint
CREATE TABLE `providers` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`display_name` text NOT NULL,
	`base_url` text,
	`enabled` integer DEFAULT true NOT NULL,
	`allow_any_model` integer DEFAULT true NOT NULL,
	`options` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `providers_name_unique` ON `providers` (`name`);--> statement-breakpoint
CREATE TABLE `model_aliases` (
	`alias` text PRIMARY KEY NOT NULL,
	`model_id` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`model_id`) REFERENCES `models`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `model_rates` (
	`id` text PRIMARY KEY NOT NULL,
	`model_id` text NOT NULL,
	`effective_from` integer NOT NULL,
	`input_per_million` integer DEFAULT 0 NOT NULL,
	`output_per_million` integer DEFAULT 0 NOT NULL,
	`cached_input_per_million` integer,
	`cache_write_per_million` integer,
	`per_image` integer,
	`image_prices` text,
	`created_by` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`model_id`) REFERENCES `models`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `model_rates_model_from_idx` ON `model_rates` (`model_id`,`effective_from`);--> statement-breakpoint
CREATE TABLE `models` (
	`id` text PRIMARY KEY NOT NULL,
	`provider_id` text NOT NULL,
	`model` text NOT NULL,
	`display_name` text,
	`type` text DEFAULT 'chat' NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`context_window` integer,
	`max_output_tokens` integer,
	`fallback_models` text,
	`metadata` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`provider_id`) REFERENCES `providers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `models_provider_model_uq` ON `models` (`provider_id`,`model`);--> statement-breakpoint
CREATE INDEX `models_model_idx` ON `models` (`model`);--> statement-breakpoint
CREATE TABLE `model_calls` (
	`id` text PRIMARY KEY NOT NULL,
	`request_id` text NOT NULL,
	`user_id` text,
	`access_key_id` text,
	`app_name` text,
	`type` text NOT NULL,
	`endpoint` text NOT NULL,
	`stream` integer DEFAULT false NOT NULL,
	`requested_model` text,
	`provider_id` text,
	`provider_name` text,
	`credential_id` text,
	`model` text,
	`status` text DEFAULT 'processing' NOT NULL,
	`input_tokens` integer,
	`output_tokens` integer,
	`cached_input_tokens` integer,
	`cache_write_tokens` integer,
	`usage_source` text,
	`images` integer,
	`cost_micro` integer,
	`rate_id` text,
	`duration_ms` integer,
	`ttft_ms` integer,
	`attempts` integer DEFAULT 1 NOT NULL,
	`http_status` integer,
	`error_code` text,
	`error_message` text,
	`ip` text,
	`request_body` text,
	`response_body` text,
	`created_at` integer NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE INDEX `model_calls_created_idx` ON `model_calls` (`created_at`);--> statement-breakpoint
CREATE INDEX `model_calls_user_created_idx` ON `model_calls` (`user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `model_calls_processing_idx` ON `model_calls` (`created_at`) WHERE "model_calls"."status" = 'processing';--> statement-breakpoint
CREATE INDEX `model_calls_request_idx` ON `model_calls` (`request_id`);--> statement-breakpoint
CREATE TABLE `credit_accounts` (
	`user_id` text PRIMARY KEY NOT NULL,
	`balance_micro` integer DEFAULT 0 NOT NULL,
	`reserved_micro` integer DEFAULT 0 NOT NULL,
	`initial_grant_done` integer DEFAULT false NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `credit_ledger` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`kind` text NOT NULL,
	`amount_micro` integer NOT NULL,
	`balance_after_micro` integer NOT NULL,
	`reason` text,
	`actor_id` text,
	`reference` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `credit_ledger_user_created_idx` ON `credit_ledger` (`user_id`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `credit_ledger_kind_reference_uq` ON `credit_ledger` (`kind`,`reference`) WHERE "credit_ledger"."reference" is not null and "credit_ledger"."kind" in ('reserve','settle','release','purchase');--> statement-breakpoint
CREATE TABLE `payments` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text,
	`provider` text NOT NULL,
	`amount_micro` integer NOT NULL,
	`status` text NOT NULL,
	`raw` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE TABLE `usage_rollups` (
	`bucket` text NOT NULL,
	`bucket_start` integer NOT NULL,
	`user_id` text DEFAULT '' NOT NULL,
	`access_key_id` text DEFAULT '' NOT NULL,
	`app_name` text DEFAULT '' NOT NULL,
	`provider_name` text DEFAULT '' NOT NULL,
	`model` text DEFAULT '' NOT NULL,
	`requests` integer DEFAULT 0 NOT NULL,
	`failed` integer DEFAULT 0 NOT NULL,
	`input_tokens` integer DEFAULT 0 NOT NULL,
	`output_tokens` integer DEFAULT 0 NOT NULL,
	`cached_input_tokens` integer DEFAULT 0 NOT NULL,
	`images` integer DEFAULT 0 NOT NULL,
	`cost_micro` integer DEFAULT 0 NOT NULL,
	`duration_ms_sum` integer DEFAULT 0 NOT NULL,
	`ttft_ms_sum` integer DEFAULT 0 NOT NULL,
	`ttft_count` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `usage_rollups_key_uq` ON `usage_rollups` (`bucket`,`bucket_start`,`user_id`,`access_key_id`,`app_name`,`provider_name`,`model`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` text PRIMARY KEY NOT NULL,
	`actor_id` text,
	`actor_label` text NOT NULL,
	`action` text NOT NULL,
	`target_type` text,
	`target_id` text,
	`before` text,
	`after` text,
	`ip` text,
	`user_agent` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_created_idx` ON `audit_log` (`created_at`);--> statement-breakpoint
CREATE INDEX `audit_actor_idx` ON `audit_log` (`actor_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `audit_action_idx` ON `audit_log` (`action`,`created_at`);--> statement-breakpoint
CREATE TABLE `ip_rules` (
	`id` text PRIMARY KEY NOT NULL,
	`action` text NOT NULL,
	`cidr` text NOT NULL,
	`access_key_id` text,
	`note` text,
	`created_by` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`access_key_id`) REFERENCES `access_keys`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `ip_rules_key_idx` ON `ip_rules` (`access_key_id`);--> statement-breakpoint
CREATE TABLE `job_leases` (
	`name` text PRIMARY KEY NOT NULL,
	`holder` text NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `quotas` (
	`id` text PRIMARY KEY NOT NULL,
	`scope` text NOT NULL,
	`scope_id` text DEFAULT '' NOT NULL,
	`requests_per_minute` integer,
	`tokens_per_minute` integer,
	`concurrency` integer,
	`tokens_per_day` integer,
	`tokens_per_month` integer,
	`credits_per_day_micro` integer,
	`credits_per_month_micro` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `quotas_scope_uq` ON `quotas` (`scope`,`scope_id`);--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_by` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `playground_messages` (
	`id` text PRIMARY KEY NOT NULL,
	`conversation_id` text NOT NULL,
	`role` text NOT NULL,
	`content` text NOT NULL,
	`model` text,
	`call_id` text,
	`input_tokens` integer,
	`output_tokens` integer,
	`ttft_ms` integer,
	`duration_ms` integer,
	`cost_micro` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`conversation_id`) REFERENCES `playground_conversations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `messages_conversation_idx` ON `playground_messages` (`conversation_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `playground_conversations` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`title` text NOT NULL,
	`model` text,
	`system_prompt` text,
	`params` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `conversations_user_idx` ON `playground_conversations` (`user_id`,`updated_at`);