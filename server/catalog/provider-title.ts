/**
 * A provider's title as pages show it. Hubs set up before the mock's "(no account needed)" moved into the
 * provider menu (ProviderFacts.menuHint) stored it in the mock's display name: pages show it without. Pure.
 */
export const providerTitle = (displayName: string) => displayName.replace(/ \(no account needed\)$/, "");
