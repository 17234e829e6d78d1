// Hostile values: each one, if any shell (POSIX sh or PowerShell) ever interpreted it instead of
// passing it on as data, would create the canary file. None contains `{{`, `{%` or `{#`: template
// syntax in trusted values is rendered by design (as in Ansible); values from hosts are tested apart.

/** Values for a canary at the absolute path `canary` (letters, digits, '/', '-', '.', '_' only). */
export function injectionPayloads(canary: string): string[] {
  const c = canary;
  return [
    `; touch ${c} #`,
    `' ; touch ${c} ; '`,
    `" ; touch ${c} ; "`,
    `$(touch ${c})`,
    `\`touch ${c}\``,
    `x\ntouch ${c}\ny`,
    `x\r\ntouch ${c}`,
    `&& touch ${c}`,
    `|| touch ${c}; false | touch ${c}`,
    `> ${c}`,
    `* ; touch ${c} &`,
    `-rf --version; touch ${c}`,
    `\${IFS}touch\${IFS}${c}`,
    `'\\''; touch ${c}; echo '\\'`,
    `\\"; touch ${c}; echo \\"`,
    `%COMSPEC% & touch ${c} & echo %PATH% 100%`,
    `ünïcødé ‘; touch ${c}; ’ ☃ — “quoted”`,
    `'; New-Item -ItemType File -Path ${c}; '`,
    `$(New-Item -ItemType File -Path ${c})`,
    `"; & { New-Item ${c} }; "`,
    `\`$(touch ${c})\` @(touch ${c}) $env:PATH`,
  ];
}

/** `$NAME` / `${NAME}` expand in command arguments by design (Ansible's expand_argument_vars). */
export function expandsVariables(payload: string): boolean {
  return /\$(?:[A-Za-z_]\w*|\{[A-Za-z_]\w*\})/.test(payload);
}
