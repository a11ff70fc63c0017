import type { MetaFunction } from "@remix-run/node";
import { KeysPage } from "~/components/admin/keys/keys-page";

export const meta: MetaFunction = () => [{ title: "Access keys · Admin · AI Hub" }];

export default function AdminKeys() {
  return <KeysPage />;
}
