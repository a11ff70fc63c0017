import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { answerDeviceApproval, getDeviceApproval } from "@server/auth/connect/approval-page.server";
import { ApprovalCard } from "~/components/connect/approval-card";
import { CenteredCard } from "~/components/ui/brand";

// RFC 8628 verification_uri: type the code an app shows (or arrive with ?user_code=), then approve or deny.
export const meta: MetaFunction = () => [{ title: "Connect a device · AI Hub" }];

export const loader = ({ request }: LoaderFunctionArgs) => getDeviceApproval(request);

export async function action({ request }: ActionFunctionArgs) {
  const result = await answerDeviceApproval(request);
  return data(result, { status: result.ok ? 200 : 409 });
}

export default function Device() {
  const { userCode, view, error } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  if (view) {
    return (
      <CenteredCard
        title="Connect an app"
        subtitle={
          <>
            Check that your app shows the code <span className="font-mono font-semibold text-ink">{userCode}</span>
          </>
        }
      >
        <ApprovalCard view={view} result={result} hidden={{ userCode }} />
      </CenteredCard>
    );
  }
  return (
    <CenteredCard title="Connect an app" subtitle="Enter the code your app or command-line tool shows.">
      <Form method="get" className="space-y-4">
        <div>
          <label htmlFor="user_code" className="field-label">
            Code
          </label>
          <input
            id="user_code"
            name="user_code"
            defaultValue={userCode}
            placeholder="WDJB-MJHT"
            autoComplete="one-time-code"
            autoCapitalize="characters"
            spellCheck={false}
            className="field-input font-mono text-lg uppercase tracking-widest"
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "user_code-error" : undefined}
            required
          />
          {error ? (
            <p id="user_code-error" className="field-error">
              {error}
            </p>
          ) : null}
        </div>
        <button type="submit" className="btn-primary w-full">
          Continue
        </button>
      </Form>
    </CenteredCard>
  );
}
