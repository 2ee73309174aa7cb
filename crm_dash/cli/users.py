"""``crm-dash user add|list|remove|passwd|role``: who can log in."""

from __future__ import annotations

import argparse
import getpass
import sys
import warnings
from typing import Any

from crm_dash import auth
from crm_dash.cli.common import Subcommands, cli_actor, connect, emit
from crm_dash.errors import ConfigError
from crm_dash.pages import Role


def add_user_command(sub: Subcommands, common: argparse.ArgumentParser) -> None:
    """Register ``crm-dash user ACTION`` on the subcommand parser ``sub``."""
    user = sub.add_parser("user", help="manage who can log in")
    user_sub = user.add_subparsers(dest="user_command", required=True, metavar="ACTION")
    add = user_sub.add_parser("add", parents=[common], help="create an account")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    add.add_argument("--name", help="display name (default: the username)")
    add.add_argument("--password-stdin", action="store_true",
                     help="read the password from the first line of standard input")
    add.set_defaults(handler=cmd_user_add)
    listing = user_sub.add_parser("list", parents=[common], help="list the accounts")
    listing.set_defaults(handler=cmd_user_list)
    remove = user_sub.add_parser("remove", parents=[common], help="delete an account")
    remove.add_argument("username")
    remove.set_defaults(handler=cmd_user_remove)
    passwd = user_sub.add_parser("passwd", parents=[common], help="set a new password")
    passwd.add_argument("username")
    passwd.add_argument("--password-stdin", action="store_true",
                        help="read the password from the first line of standard input")
    passwd.set_defaults(handler=cmd_user_passwd)
    role = user_sub.add_parser("role", parents=[common],
                               help="give an account another role (ends its sessions)")
    role.add_argument("username")
    role.add_argument("--role", required=True, choices=[r.value for r in Role])
    role.set_defaults(handler=cmd_user_role)


def _read_password(args: argparse.Namespace) -> str:
    """The new password: the first line of stdin with ``--password-stdin``, else two prompts.

    Without a terminal to prompt on (a script, a service, ``</dev/null``) the prompt meets the
    end of input; that is a clear error, not a traceback.
    """
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    try:
        with warnings.catch_warnings():  # getpass itself says the input may be echoed
            warnings.simplefilter("ignore", getpass.GetPassWarning)
            first = getpass.getpass("Password (at least 10 characters): ")
            repeated = getpass.getpass("Repeat the password: ")
    except EOFError:
        print(file=sys.stderr)  # end the prompt's line
        raise ConfigError(
            "No password could be read: there is no terminal to ask for it. Use "
            "--password-stdin and pass the password as the first line of standard input."
        ) from None
    if repeated != first:
        raise ConfigError("The two passwords differ; nothing was changed.")
    return first


def _user_payload(user: auth.AppUser) -> dict[str, Any]:
    return {"username": user.username, "name": user.display_name, "role": user.role.value}


def cmd_user_add(args: argparse.Namespace) -> int:
    """Create an account that can log in."""
    password = _read_password(args)
    conn = connect(args)
    try:
        user = auth.add_user(conn, args.username, password, Role(args.role),
                             display_name=args.name, actor=cli_actor())
    finally:
        conn.close()
    emit(args, _user_payload(user), f"User {user.username!r} ({user.role.value}) created.")
    return 0


def cmd_user_list(args: argparse.Namespace) -> int:
    """List the accounts."""
    conn = connect(args)
    try:
        users = auth.list_users(conn)
    finally:
        conn.close()
    text = "\n".join(f"{u.username:<24} {u.role.value:<10} {u.display_name}" for u in users)
    emit(args, {"users": [_user_payload(u) for u in users]}, text or "No users yet.")
    return 0


def cmd_user_remove(args: argparse.Namespace) -> int:
    """Delete an account."""
    conn = connect(args)
    try:
        auth.remove_user(conn, args.username.lower(), actor=cli_actor())
    finally:
        conn.close()
    emit(args, {"username": args.username.lower(), "status": "removed"},
         f"User {args.username.lower()!r} removed.")
    return 0


def cmd_user_passwd(args: argparse.Namespace) -> int:
    """Set a new password (ends remembered logins, lifts a lockout)."""
    password = _read_password(args)
    conn = connect(args)
    try:
        auth.set_password(conn, args.username.lower(), password, actor=cli_actor())
    finally:
        conn.close()
    emit(args, {"username": args.username.lower(), "status": "password_changed"},
         f"Password of {args.username.lower()!r} changed.")
    return 0


def cmd_user_role(args: argparse.Namespace) -> int:
    """Give an account another role (ends every session of that account)."""
    conn = connect(args)
    try:
        user = auth.set_role(conn, args.username.lower(), Role(args.role), actor=cli_actor())
    finally:
        conn.close()
    emit(args, _user_payload(user), f"User {user.username!r} now has the role {user.role.value}.")
    return 0
