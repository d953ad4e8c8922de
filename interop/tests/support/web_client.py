"""Drives mailtest serve --http from Python with nothing but urllib, as an
end-to-end test in another language would. Prints one line per step."""

import json
import sys
import urllib.error
import urllib.request

base = sys.argv[1]


def call(method, path):
    request = urllib.request.Request(base + path, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


print("waiting", flush=True)
status, matches = call("GET", "/api/wait?to=ann%40example.com&subject=From+Python&timeout=30")
print(f"wait: {status} {[m['subject'] for m in matches]}", flush=True)

status, body = call("GET", "/api/wait?subject=Never&timeout=0.2")
print(f"timeout: {status} {body['report'].splitlines()[0]}", flush=True)

status, email = call("GET", f"/api/messages/{matches[0]['n']}")
print(f"message: {status} {email['to'][0]['address']} {email['text'].strip()!r}", flush=True)

status, body = call("DELETE", "/api/messages")
print(f"delete: {status} {body}", flush=True)

status, listed = call("GET", "/api/messages")
print(f"after delete: {status} {listed}", flush=True)
