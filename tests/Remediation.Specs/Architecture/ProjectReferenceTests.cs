using System.Xml.Linq;

namespace Remediation.Specs.Architecture;

/// <summary>
/// Who may build on whom, read from the project files: the CLI and the agent ship without the service, and
/// Contracts, Core and Store stay as small as their names say.
/// </summary>
public sealed class ProjectReferenceTests
{
    [Theory]
    [InlineData("Remediation.Contracts", new string[0], new string[0])]
    [InlineData("Remediation.Core", new[] { "Remediation.Contracts" }, new[] { "Stateless", "YamlDotNet" })]
    [InlineData("Remediation.Store", new[] { "Remediation.Core" }, new[] { "Marten" })]
    [InlineData("Remediation.Agent", new[] { "Remediation.Contracts" }, new[] { "RabbitMQ.Client" })]
    [InlineData("Remediation.Cli", new[] { "Remediation.Contracts", "Remediation.Core", "Remediation.Store" }, new string[0])]
    public void Project_references_only_what_its_layer_allows(string project, string[] projects, string[] packages)
    {
        var file = Project.Load(project);

        Assert.True(file.Projects.Order().SequenceEqual(projects.Order()), $"{project} should reference projects [{string.Join(", ", projects)}], not [{string.Join(", ", file.Projects)}]");
        Assert.True(file.Packages.Order().SequenceEqual(packages.Order()), $"{project} should reference packages [{string.Join(", ", packages)}], not [{string.Join(", ", file.Packages)}]");
        Assert.True(file.Sdk == "Microsoft.NET.Sdk", $"{project} uses {file.Sdk}, whose implicit usings bring ASP.NET into scope");
    }

    [Theory]
    [InlineData("Remediation.Cli")]
    [InlineData("Remediation.Agent")]
    public void Deployable_never_reaches_the_service_even_through_another_project(string project)
    {
        var reached = Project.Closure(project);

        Assert.True(!reached.Contains("Remediation.Service"), $"{project} reaches the service through {string.Join(" -> ", reached)}");
        Assert.True(reached.All(p => Project.Load(p).Sdk == "Microsoft.NET.Sdk"), $"{project} reaches a web project: {string.Join(", ", reached)}");
    }

    private sealed record Project(string Name, string Sdk, IReadOnlyList<string> Projects, IReadOnlyList<string> Packages)
    {
        public static Project Load(string name)
        {
            var path = Path.Combine(Repo.Root, "src", name, name + ".csproj");
            var xml = XDocument.Load(path);
            return new Project(name,
                (string?)xml.Root!.Attribute("Sdk") ?? "",
                xml.Descendants("ProjectReference").Select(r => Path.GetFileNameWithoutExtension((string)r.Attribute("Include")!.Value.Replace('\\', '/'))).ToList(),
                xml.Descendants("PackageReference").Select(r => (string)r.Attribute("Include")!).ToList());
        }

        /// <summary>Every project <paramref name="name"/> builds on, directly or not.</summary>
        public static IReadOnlyList<string> Closure(string name)
        {
            var seen = new List<string>();
            var next = new Queue<string>(Load(name).Projects);
            while (next.TryDequeue(out var p))
            {
                if (seen.Contains(p)) continue;
                seen.Add(p);
                foreach (var q in Load(p).Projects) next.Enqueue(q);
            }
            return seen;
        }
    }
}
