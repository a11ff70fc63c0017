import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { isSetupTokenValid, submitSetupForm } from "@server/auth/setup.server";
import { CenteredCard } from "~/components/ui/brand";

export const meta: MetaFunction = () => [{ title: "Set up AI Hub" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token");
  // Once the owner exists (or without a valid token) the page is gone.
  if (!(await isSetupTokenValid(token))) throw new Response("This setup link is not valid any more.", { status: 404 });
  return { token: token! };
}

export async function action({ request }: ActionFunctionArgs) {
  const result = await submitSetupForm(request);
  if (result.ok) return redirect("/usage", { headers: { "Set-Cookie": result.setCookie } });
  return data(result, { status: 400 });
}

export default function Setup() {
  const { token } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const errors = result && !result.ok ? result.fieldErrors : {};
  const values = result && !result.ok ? result.values : { name: "", email: "" };
  return (
    <CenteredCard
      title="Create the owner account"
      subtitle="The owner runs this hub: providers, models, users and billing."
    >
      <Form method="post" className="space-y-4" noValidate>
        <input type="hidden" name="token" value={token} />
        {result && !result.ok && result.formError ? (
          <p role="alert" className="rounded-lg bg-danger-soft px-3 py-2 text-sm text-danger">
            {result.formError}
          </p>
        ) : null}
        <div>
          <label htmlFor="name" className="field-label">
            Your name
          </label>
          <input
            id="name"
            name="name"
            className="field-input"
            defaultValue={values.name}
            autoComplete="name"
            required
            aria-invalid={Boolean(errors.name)}
            aria-describedby="name-error"
          />
          {errors.name ? (
            <p id="name-error" className="field-error">
              {errors.name}
            </p>
          ) : null}
        </div>
        <div>
          <label htmlFor="email" className="field-label">
            Email
          </label>
          <input
            id="email"
            name="email"
            type="email"
            className="field-input"
            defaultValue={values.email}
            autoComplete="email"
            required
            aria-invalid={Boolean(errors.email)}
            aria-describedby="email-error"
          />
          {errors.email ? (
            <p id="email-error" className="field-error">
              {errors.email}
            </p>
          ) : (
            <p className="mt-1 text-xs text-ink-faint">
              Sign in later with an OAuth account that has this verified email.
            </p>
          )}
        </div>
        <button type="submit" className="btn-primary w-full" disabled={busy}>
          {busy ? "Creating…" : "Create owner and sign in"}
        </button>
      </Form>
    </CenteredCard>
  );
}
