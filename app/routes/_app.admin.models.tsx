import type { MetaFunction } from "@remix-run/node";
import { ModelsPage } from "~/components/admin/models/models-page";

export const meta: MetaFunction = () => [{ title: "Models · Admin · AI Hub" }];

export default function AdminModels() {
  return <ModelsPage />;
}
