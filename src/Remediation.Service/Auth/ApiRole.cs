namespace Remediation.Service.Auth;

/// <summary>
/// What a token may do. Every token may read (<see cref="Viewer"/>); <see cref="Operator"/> may hold, release, pause,
/// resume and close RMAs; <see cref="Approver"/> may approve and reject risky steps. Roles are given per operator in
/// <c>Api:Roles:&lt;operator&gt;</c>, comma-separated; an operator with none is a viewer.
/// </summary>
public static class ApiRole
{
    public const string Viewer = "viewer";
    public const string Operator = "operator";
    public const string Approver = "approver";

    public static readonly IReadOnlySet<string> All = new HashSet<string> { Viewer, Operator, Approver };
}
