import type { MetaFunction } from "@remix-run/node";
import { SettingsPage } from "~/components/admin/settings/settings-page";

export const meta: MetaFunction = () => [{ title: "Settings · Admin · AI Hub" }];

export default function AdminSettings() {
  return <SettingsPage />;
}
