# The two commands a new user needs: `make demo` and `make test`. Both start PostgreSQL and RabbitMQ themselves.
.PHONY: demo test bench faults build servers

build:
	dotnet build Remediation.sln -c Release -nologo -clp:ErrorsOnly

servers:
	@deploy/local/servers.sh >/dev/null

demo:
	deploy/local/demo.sh

test:
	deploy/local/test.sh

bench:
	deploy/local/bench.sh

faults:
	deploy/local/faults.sh
