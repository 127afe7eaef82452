namespace Remediation.Cli.Commands;

/// <summary>What an operator does from a terminal: the same endpoints, rules and audit trail as Slack and HTTP.</summary>
public static class OperatorCommands
{
    public static async Task<int> ApprovalsAsync(CliArgs args, TextWriter output, CancellationToken ct)
    {
        var approvals = await ApiClient.For(args).ApprovalsAsync(ct);
        await output.WriteLineAsync($"{"APPROVAL",-44} {"NODE",-20} {"RUNBOOK",-16} {"FAULT",-22} EXPIRES");
        foreach (var a in approvals)
        {
            var fault = a.Xid is { } xid ? $"Xid {xid}" : a.Kind;
            await output.WriteLineAsync($"{a.ApprovalId,-44} {a.NodeId,-20} {a.Runbook ?? "-",-16} {fault,-22} {a.ExpiresAt:u}");
        }
        await output.WriteLineAsync($"{approvals.Count} waiting");
        return 0;
    }

    public static async Task<int> DecideAsync(CliArgs args, bool approve, TextWriter output, CancellationToken ct)
    {
        var verb = approve ? "approve" : "reject";
        var id = args.Positional.ElementAtOrDefault(1) ?? throw new CliException($"usage: remediation {verb} APPROVAL_ID{(approve ? "" : " --reason TEXT")}");
        object? body = approve ? null : new { reason = Reason(args, $"remediation reject {id}") };
        var answer = await ApiClient.For(args).PostAsync($"/api/approvals/{Uri.EscapeDataString(id)}/{verb}", body, ct);
        await output.WriteLineAsync(answer.GetProperty("message").GetString());
        return 0;
    }

    public static async Task<int> PauseAsync(CliArgs args, bool pause, TextWriter output, CancellationToken ct)
    {
        var body = new { reason = pause ? Reason(args, "remediation pause") : args.Option("reason") ?? "resumed" };
        var control = await ApiClient.For(args).PostAsync($"/api/automation/{(pause ? "pause" : "resume")}", body, ct);
        var by = control.GetProperty("by").GetString();
        await output.WriteLineAsync(pause
            ? $"automation paused by {by}: decisions are recorded, no step runs until `remediation resume`"
            : $"automation resumed by {by}: deferred steps are dispatched now");
        return 0;
    }

    public static async Task<int> HoldAsync(CliArgs args, bool hold, TextWriter output, CancellationToken ct)
    {
        var verb = hold ? "hold" : "release";
        var node = args.Positional.ElementAtOrDefault(1) ?? throw new CliException($"usage: remediation {verb} NODE --reason TEXT");
        var state = await ApiClient.For(args).PostAsync($"/api/nodes/{Uri.EscapeDataString(node)}/{verb}",
            new { reason = Reason(args, $"remediation {verb} {node}") }, ct);
        await output.WriteLineAsync(hold
            ? $"{node} is {state.GetProperty("status").GetString()}: automation keeps off it until `remediation release {node}`"
            : $"{node} is {state.GetProperty("status").GetString()}: back with automation");
        return 0;
    }

    public static async Task<int> RmaClosedAsync(CliArgs args, TextWriter output, CancellationToken ct)
    {
        var node = args.Positional.ElementAtOrDefault(1) ?? throw new CliException("usage: remediation rma-closed NODE --resolution TEXT");
        var resolution = args.Option("resolution") is { Length: > 0 } text ? text : throw new CliException("remediation rma-closed needs --resolution TEXT (e.g. \"GPU 3 replaced\")");
        var state = await ApiClient.For(args).PostAsync($"/api/nodes/{Uri.EscapeDataString(node)}/rma/close", new { resolution }, ct);
        await output.WriteLineAsync($"{node} is {state.GetProperty("status").GetString()}: verifying the repair, then giving it back to the scheduler");
        return 0;
    }

    private static string Reason(CliArgs args, string usage) =>
        args.Option("reason") is { Length: > 0 } reason ? reason : throw new CliException($"{usage} needs --reason TEXT (it goes in the audit trail)");
}
