import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { answerAigneApproval, getAigneApproval } from "@server/auth/connect/approval-page.server";
import { ApprovalCard } from "~/components/connect/approval-card";
import { CenteredCard } from "~/components/ui/brand";

// Where AIGNE's CLI sends the person (docs/aigne-protocol.md, "The CLI's connect flow", step 3): approve or deny its access-key session.
export const meta: MetaFunction = () => [{ title: "Connect an app · AI Hub" }];

export const loader = ({ request }: LoaderFunctionArgs) => getAigneApproval(request);

export async function action({ request }: ActionFunctionArgs) {
  const result = await answerAigneApproval(request);
  return data(result, { status: result.ok ? 200 : 409 });
}

export default function GenSimpleAccessKey() {
  const { view, token, closeOnSuccess } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <CenteredCard title="Connect an app" subtitle="An app on your computer asks to use AI Hub as you.">
      <ApprovalCard
        view={view}
        result={result}
        closeOnSuccess={closeOnSuccess}
        hidden={{ token, appName: view.appName, appLogo: view.appLogo ?? "" }}
      />
    </CenteredCard>
  );
}
