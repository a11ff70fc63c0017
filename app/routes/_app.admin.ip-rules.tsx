import type { MetaFunction } from "@remix-run/node";
import { IpRulesPage } from "~/components/admin/ip-rules/ip-rules-page";

export const meta: MetaFunction = () => [{ title: "IP rules · Admin · AI Hub" }];

export default function AdminIpRules() {
  return <IpRulesPage />;
}
