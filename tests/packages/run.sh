#!/usr/bin/env bash
# Builds examples/HostedJob as a .NET team would, against the Freshet packages in artifacts/packages (made by
# `dotnet pack Freshet.sln -c Release -o artifacts/packages`, as .ci/run does) instead of project references, and runs
# it over a bounded input. The copy lives in a temporary directory outside the repository, so none of the repository's
# Directory.Build.props, Directory.Packages.props or global.json applies. Ends with one line "N passed, N failed".
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
packages="$root/artifacts/packages"

hosting=$(ls "$packages"/Freshet.Hosting.*.nupkg 2>/dev/null | grep -v '\.snupkg$' | head -1)
if [ -z "$hosting" ]; then
  echo "no Freshet.Hosting package in $packages; run dotnet pack first"
  echo "0 passed, 1 failed"
  exit 1
fi
version=$(basename "$hosting" .nupkg)
version=${version#Freshet.Hosting.}
hosting_version=$(sed -n 's/.*Include="Microsoft.Extensions.Hosting" Version="\([^"]*\)".*/\1/p' "$root/Directory.Packages.props")

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$root/examples/HostedJob/Program.cs" "$root/examples/HostedJob/appsettings.json" "$work/"
cat > "$work/HostedJob.csproj" <<PROJECT
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <ImplicitUsings>enable</ImplicitUsings>
    <Nullable>enable</Nullable>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Freshet.Hosting" Version="$version" />
    <PackageReference Include="Microsoft.Extensions.Hosting" Version="$hosting_version" />
  </ItemGroup>
  <ItemGroup>
    <None Update="appsettings.json" CopyToOutputDirectory="PreserveNewest" />
  </ItemGroup>
</Project>
PROJECT
# The local folder first, then the normal source. Packages restore into a fresh folder, so a Freshet package of the
# same version left in the machine's global cache by an earlier run is never used; that cache is also offered as a
# source (it is laid out as a local feed) so the third-party dependencies need not be downloaded again.
cat > "$work/NuGet.config" <<CONFIG
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="freshet-local" value="$packages" />
    <add key="machine-cache" value="${NUGET_PACKAGES:-$HOME/.nuget/packages}" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
</configuration>
CONFIG

passed=0
failed=0
echo "-- build examples/HostedJob against Freshet.Hosting $version from $packages"
if (cd "$work" && dotnet build -c Release --packages "$work/restored" 2>&1 | tail -n 5); then
  # NuGet records where it took each package from in .nupkg.metadata.
  if ! grep -q "\"source\": \"$packages" "$work/restored/freshet.hosting/$version/.nupkg.metadata" 2>/dev/null; then
    echo "FAIL: Freshet.Hosting was not restored from $packages"
    failed=$((failed + 1))
  else
    passed=$((passed + 1))
  fi
else
  echo "FAIL: build"
  failed=$((failed + 1))
fi

echo "-- run it over 2000 readings until the job finishes"
output=$(cd "$work" && timeout 120 dotnet bin/Release/net10.0/HostedJob.dll --HostedJob:Readings 2000 --Freshet:Jobs:sensor-averages:StopHostWhenFinished true 2>&1)
status=$?
if [ "$status" -eq 0 ] && echo "$output" | grep -q '^average' && echo "$output" | grep -q 'Freshet.Hosting\[4001\]'; then
  echo "$output" | grep '^average' | head -n 3
  passed=$((passed + 1))
else
  echo "$output" | tail -n 20
  echo "FAIL: the example did not run to its results (exit $status)"
  failed=$((failed + 1))
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
