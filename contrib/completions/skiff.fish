# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_skiff_global_optspecs
    string join \n root= runroot= storage-driver= h/help V/version
end

function __fish_skiff_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_skiff_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_skiff_using_subcommand
    set -l cmd (__fish_skiff_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c skiff -n "__fish_skiff_needs_command" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_needs_command" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_needs_command" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_needs_command" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_needs_command" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "pull" -d 'Pull an image from a registry'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "push" -d 'Push an image to a registry'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "images" -d 'List images'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "rmi" -d 'Remove one or more images'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "tag" -d 'Create a tag TARGET that refers to SOURCE'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "inspect" -d 'Display detailed information on images'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "history" -d 'Show the history of an image'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "import" -d 'Create an image from a tarball or directory of a root filesystem'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "save" -d 'Save images to a tar archive (docker-archive or oci-archive)'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "load" -d 'Load images from a tar archive'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "login" -d 'Log in to a registry'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "logout" -d 'Log out from a registry'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "image" -d 'Manage images'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "unshare" -d 'Run a command inside skiff\'s user namespace'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "runtime" -d 'The built-in OCI runtime, with runc\'s command line'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "version" -d 'Show version information'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "completion" -d 'Print a shell completion script (bash, zsh, fish)'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "generate-man" -d 'Write man pages to a directory'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c skiff -n "__fish_skiff_using_subcommand pull" -l platform -d 'Platform to pull for an image index, as os/arch[/variant]' -r
complete -c skiff -n "__fish_skiff_using_subcommand pull" -l arch -d 'Override the architecture of --platform' -r
complete -c skiff -n "__fish_skiff_using_subcommand pull" -l variant -d 'Override the variant of --platform' -r
complete -c skiff -n "__fish_skiff_using_subcommand pull" -l tls-verify -d 'Require HTTPS and verify certificates (false: allow HTTP and self-signed TLS)' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand pull" -l authfile -d 'Path of the authentication file' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand pull" -l creds -d 'Credentials USERNAME[:PASSWORD] to use instead of stored ones' -r
complete -c skiff -n "__fish_skiff_using_subcommand pull" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand pull" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand pull" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand pull" -s q -l quiet -d 'Print only the image ID'
complete -c skiff -n "__fish_skiff_using_subcommand pull" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand pull" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand push" -l digestfile -d 'Write the digest of the pushed manifest to this file' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand push" -l tls-verify -d 'Require HTTPS and verify certificates (false: allow HTTP and self-signed TLS)' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand push" -l authfile -d 'Path of the authentication file' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand push" -l creds -d 'Credentials USERNAME[:PASSWORD] to use instead of stored ones' -r
complete -c skiff -n "__fish_skiff_using_subcommand push" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand push" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand push" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand push" -s q -l quiet -d 'Do not print progress'
complete -c skiff -n "__fish_skiff_using_subcommand push" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand push" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand images" -l format -d 'Format output: table, json, or a Go template' -r
complete -c skiff -n "__fish_skiff_using_subcommand images" -s f -l filter -d 'Filter output (dangling=true|false, reference=PATTERN)' -r
complete -c skiff -n "__fish_skiff_using_subcommand images" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand images" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand images" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand images" -s a -l all -d 'Show all images (default hides intermediate images; skiff has none)'
complete -c skiff -n "__fish_skiff_using_subcommand images" -s q -l quiet -d 'Only show image IDs'
complete -c skiff -n "__fish_skiff_using_subcommand images" -l digests -d 'Show digests'
complete -c skiff -n "__fish_skiff_using_subcommand images" -l no-trunc -d 'Do not truncate output'
complete -c skiff -n "__fish_skiff_using_subcommand images" -s n -l noheading -d 'Do not print column headings'
complete -c skiff -n "__fish_skiff_using_subcommand images" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand images" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand rmi" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand rmi" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand rmi" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand rmi" -s f -l force -d 'Remove images with several names, or in use'
complete -c skiff -n "__fish_skiff_using_subcommand rmi" -s a -l all -d 'Remove all images'
complete -c skiff -n "__fish_skiff_using_subcommand rmi" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand rmi" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand tag" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand tag" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand tag" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand tag" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand tag" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand inspect" -s f -l format -d 'Format the output with a Go template' -r
complete -c skiff -n "__fish_skiff_using_subcommand inspect" -l type -d 'Object type (only `image` is known)' -r
complete -c skiff -n "__fish_skiff_using_subcommand inspect" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand inspect" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand inspect" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand inspect" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand inspect" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand history" -s H -l human -d 'Print sizes and dates in human readable format' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand history" -l format -r
complete -c skiff -n "__fish_skiff_using_subcommand history" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand history" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand history" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand history" -l no-trunc
complete -c skiff -n "__fish_skiff_using_subcommand history" -s q -l quiet
complete -c skiff -n "__fish_skiff_using_subcommand history" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand history" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand import" -s c -l change -d 'Apply a Dockerfile instruction (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, WORKDIR, VOLUME, STOPSIGNAL, ONBUILD)' -r
complete -c skiff -n "__fish_skiff_using_subcommand import" -s m -l message -d 'Commit message recorded in the history' -r
complete -c skiff -n "__fish_skiff_using_subcommand import" -l platform -d 'Platform recorded in the config (default: this host)' -r
complete -c skiff -n "__fish_skiff_using_subcommand import" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand import" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand import" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand import" -s q -l quiet -d 'Print only the image ID'
complete -c skiff -n "__fish_skiff_using_subcommand import" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand import" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand save" -s o -l output -d 'Write to a file instead of stdout' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand save" -l format -d 'docker-archive (default) or oci-archive' -r
complete -c skiff -n "__fish_skiff_using_subcommand save" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand save" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand save" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand save" -s q -l quiet
complete -c skiff -n "__fish_skiff_using_subcommand save" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand save" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand load" -s i -l input -d 'Read from a file instead of stdin' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand load" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand load" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand load" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand load" -s q -l quiet
complete -c skiff -n "__fish_skiff_using_subcommand load" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand load" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand login" -s u -l username -r
complete -c skiff -n "__fish_skiff_using_subcommand login" -s p -l password -r
complete -c skiff -n "__fish_skiff_using_subcommand login" -l tls-verify -d 'Require HTTPS and verify certificates (false: allow HTTP and self-signed TLS)' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand login" -l authfile -d 'Path of the authentication file' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand login" -l creds -d 'Credentials USERNAME[:PASSWORD] to use instead of stored ones' -r
complete -c skiff -n "__fish_skiff_using_subcommand login" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand login" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand login" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand login" -l password-stdin -d 'Read the password from stdin'
complete -c skiff -n "__fish_skiff_using_subcommand login" -l get-login -d 'Only check whether credentials exist for the registry'
complete -c skiff -n "__fish_skiff_using_subcommand login" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand login" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand logout" -l authfile -r -F
complete -c skiff -n "__fish_skiff_using_subcommand logout" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand logout" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand logout" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand logout" -s a -l all -d 'Remove all stored credentials'
complete -c skiff -n "__fish_skiff_using_subcommand logout" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand logout" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull push rm tag inspect history import save load prune help" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull push rm tag inspect history import save load prune help" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull push rm tag inspect history import save load prune help" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull push rm tag inspect history import save load prune help" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull push rm tag inspect history import save load prune help" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull push rm tag inspect history import save load prune help" -f -a "ls" -d 'List images'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull push rm tag inspect history import save load prune help" -f -a "list" -d 'List images'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull push rm tag inspect history import save load prune help" -f -a "pull" -d 'Pull an image from a registry'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull push rm tag inspect history import save load prune help" -f -a "push" -d 'Push an image to a registry'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull push rm tag inspect history import save load prune help" -f -a "rm" -d 'Remove one or more images'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull push rm tag inspect history import save load prune help" -f -a "tag" -d 'Create a tag TARGET that refers to SOURCE'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull push rm tag inspect history import save load prune help" -f -a "inspect" -d 'Display detailed information on images'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull push rm tag inspect history import save load prune help" -f -a "history" -d 'Show the history of an image'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull push rm tag inspect history import save load prune help" -f -a "import" -d 'Create an image from a tarball or directory'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull push rm tag inspect history import save load prune help" -f -a "save" -d 'Save images to a tar archive'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull push rm tag inspect history import save load prune help" -f -a "load" -d 'Load images from a tar archive'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull push rm tag inspect history import save load prune help" -f -a "prune" -d 'Remove unused images'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull push rm tag inspect history import save load prune help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from ls" -l format -d 'Format output: table, json, or a Go template' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from ls" -s f -l filter -d 'Filter output (dangling=true|false, reference=PATTERN)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from ls" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from ls" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from ls" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from ls" -s a -l all -d 'Show all images (default hides intermediate images; skiff has none)'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Only show image IDs'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from ls" -l digests -d 'Show digests'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from ls" -l no-trunc -d 'Do not truncate output'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from ls" -s n -l noheading -d 'Do not print column headings'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from ls" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from list" -l format -d 'Format output: table, json, or a Go template' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from list" -s f -l filter -d 'Filter output (dangling=true|false, reference=PATTERN)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from list" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from list" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from list" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from list" -s a -l all -d 'Show all images (default hides intermediate images; skiff has none)'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Only show image IDs'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from list" -l digests -d 'Show digests'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from list" -l no-trunc -d 'Do not truncate output'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from list" -s n -l noheading -d 'Do not print column headings'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from pull" -l platform -d 'Platform to pull for an image index, as os/arch[/variant]' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from pull" -l arch -d 'Override the architecture of --platform' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from pull" -l variant -d 'Override the variant of --platform' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from pull" -l tls-verify -d 'Require HTTPS and verify certificates (false: allow HTTP and self-signed TLS)' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from pull" -l authfile -d 'Path of the authentication file' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from pull" -l creds -d 'Credentials USERNAME[:PASSWORD] to use instead of stored ones' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from pull" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from pull" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from pull" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from pull" -s q -l quiet -d 'Print only the image ID'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from pull" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from pull" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from push" -l digestfile -d 'Write the digest of the pushed manifest to this file' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from push" -l tls-verify -d 'Require HTTPS and verify certificates (false: allow HTTP and self-signed TLS)' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from push" -l authfile -d 'Path of the authentication file' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from push" -l creds -d 'Credentials USERNAME[:PASSWORD] to use instead of stored ones' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from push" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from push" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from push" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from push" -s q -l quiet -d 'Do not print progress'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from push" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from push" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from rm" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from rm" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from rm" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from rm" -s f -l force -d 'Remove images with several names, or in use'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from rm" -s a -l all -d 'Remove all images'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from rm" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from tag" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from tag" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from tag" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from tag" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from tag" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from inspect" -s f -l format -d 'Format the output with a Go template' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from inspect" -l type -d 'Object type (only `image` is known)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from inspect" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from inspect" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from inspect" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from inspect" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from inspect" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from history" -s H -l human -d 'Print sizes and dates in human readable format' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from history" -l format -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from history" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from history" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from history" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from history" -l no-trunc
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from history" -s q -l quiet
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from history" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from history" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from import" -s c -l change -d 'Apply a Dockerfile instruction (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, WORKDIR, VOLUME, STOPSIGNAL, ONBUILD)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from import" -s m -l message -d 'Commit message recorded in the history' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from import" -l platform -d 'Platform recorded in the config (default: this host)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from import" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from import" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from import" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from import" -s q -l quiet -d 'Print only the image ID'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from import" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from import" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from save" -s o -l output -d 'Write to a file instead of stdout' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from save" -l format -d 'docker-archive (default) or oci-archive' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from save" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from save" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from save" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from save" -s q -l quiet
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from save" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from save" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from load" -s i -l input -d 'Read from a file instead of stdin' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from load" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from load" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from load" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from load" -s q -l quiet
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from load" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from load" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from prune" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from prune" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from prune" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from prune" -s a -l all -d 'Remove all unused images, not just dangling ones'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from prune" -s f -l force -d 'Do not prompt for confirmation'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from prune" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "ls" -d 'List images'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "pull" -d 'Pull an image from a registry'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "push" -d 'Push an image to a registry'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Remove one or more images'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "tag" -d 'Create a tag TARGET that refers to SOURCE'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "inspect" -d 'Display detailed information on images'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "history" -d 'Show the history of an image'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "import" -d 'Create an image from a tarball or directory'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "save" -d 'Save images to a tar archive'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "load" -d 'Load images from a tar archive'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "prune" -d 'Remove unused images'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c skiff -n "__fish_skiff_using_subcommand unshare" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand unshare" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand unshare" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand unshare" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand unshare" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and not __fish_seen_subcommand_from create start run state kill delete exec ps list features pause resume update spec help" -l root -d 'Directory for container state (default: /run/skiff/runtime as root, $XDG_RUNTIME_DIR/skiff/runtime otherwise)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and not __fish_seen_subcommand_from create start run state kill delete exec ps list features pause resume update spec help" -l log -d 'Also write errors (and debug lines) to FILE' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and not __fish_seen_subcommand_from create start run state kill delete exec ps list features pause resume update spec help" -l log-format -d 'Format of --log lines' -r -f -a "text\t''
json\t''"
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and not __fish_seen_subcommand_from create start run state kill delete exec ps list features pause resume update spec help" -l rootless -d 'Rootless mode: auto, true or false (accepted; detected automatically)' -r -f -a "auto\t''
true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and not __fish_seen_subcommand_from create start run state kill delete exec ps list features pause resume update spec help" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and not __fish_seen_subcommand_from create start run state kill delete exec ps list features pause resume update spec help" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and not __fish_seen_subcommand_from create start run state kill delete exec ps list features pause resume update spec help" -l debug -d 'Log debug information'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and not __fish_seen_subcommand_from create start run state kill delete exec ps list features pause resume update spec help" -l systemd-cgroup -d 'Use systemd for cgroups (accepted for compatibility)'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and not __fish_seen_subcommand_from create start run state kill delete exec ps list features pause resume update spec help" -s v -l version -d 'Print the version'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and not __fish_seen_subcommand_from create start run state kill delete exec ps list features pause resume update spec help" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and not __fish_seen_subcommand_from create start run state kill delete exec ps list features pause resume update spec help" -f -a "create" -d 'Create a container (its process waits for `start`)'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and not __fish_seen_subcommand_from create start run state kill delete exec ps list features pause resume update spec help" -f -a "start" -d 'Start the user process of a created container'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and not __fish_seen_subcommand_from create start run state kill delete exec ps list features pause resume update spec help" -f -a "run" -d 'Create and start a container; wait for it unless --detach'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and not __fish_seen_subcommand_from create start run state kill delete exec ps list features pause resume update spec help" -f -a "state" -d 'Print the state of a container as JSON'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and not __fish_seen_subcommand_from create start run state kill delete exec ps list features pause resume update spec help" -f -a "kill" -d 'Send a signal to the container\'s init (or all its processes)'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and not __fish_seen_subcommand_from create start run state kill delete exec ps list features pause resume update spec help" -f -a "delete" -d 'Delete a container (must be stopped unless --force)'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and not __fish_seen_subcommand_from create start run state kill delete exec ps list features pause resume update spec help" -f -a "exec" -d 'Run a new process inside a container'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and not __fish_seen_subcommand_from create start run state kill delete exec ps list features pause resume update spec help" -f -a "ps" -d 'List the processes of a container'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and not __fish_seen_subcommand_from create start run state kill delete exec ps list features pause resume update spec help" -f -a "list" -d 'List containers'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and not __fish_seen_subcommand_from create start run state kill delete exec ps list features pause resume update spec help" -f -a "features" -d 'Print the features this runtime supports, as JSON'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and not __fish_seen_subcommand_from create start run state kill delete exec ps list features pause resume update spec help" -f -a "pause" -d 'Freeze all processes of a container'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and not __fish_seen_subcommand_from create start run state kill delete exec ps list features pause resume update spec help" -f -a "resume" -d 'Thaw a paused container'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and not __fish_seen_subcommand_from create start run state kill delete exec ps list features pause resume update spec help" -f -a "update" -d 'Change a running container\'s resource limits'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and not __fish_seen_subcommand_from create start run state kill delete exec ps list features pause resume update spec help" -f -a "spec" -d 'Write a default config.json'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and not __fish_seen_subcommand_from create start run state kill delete exec ps list features pause resume update spec help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from create" -s b -l bundle -d 'Bundle directory (holds config.json)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from create" -l pid-file -d 'Write the container\'s init pid to FILE' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from create" -l console-socket -d 'Unix socket that receives the pty master (when process.terminal)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from create" -l preserve-fds -d 'Pass N extra fds (3 .. 3+N-1) to the container process' -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from create" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from create" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from create" -l no-pivot -d 'Do not use pivot_root (MS_MOVE + chroot; for ramfs roots)'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from create" -l no-new-keyring -d 'Do not create a new session keyring (accepted)'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from start" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from start" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from start" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from run" -s b -l bundle -d 'Bundle directory (holds config.json)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from run" -l pid-file -d 'Write the container\'s init pid to FILE' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from run" -l console-socket -d 'Unix socket that receives the pty master (when process.terminal)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from run" -l preserve-fds -d 'Pass N extra fds (3 .. 3+N-1) to the container process' -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from run" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from run" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from run" -s d -l detach -d 'Return once the container has started'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from run" -l no-pivot -d 'Do not use pivot_root (MS_MOVE + chroot; for ramfs roots)'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from run" -l no-new-keyring -d 'Do not create a new session keyring (accepted)'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from run" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from state" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from state" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from state" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from kill" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from kill" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from kill" -s a -l all -d 'Signal every process of the container'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from kill" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from delete" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from delete" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from delete" -s f -l force -d 'Kill the container first if it is running'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from exec" -s p -l process -d 'process.json to run (instead of the flags and COMMAND)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from exec" -l console-socket -r -F
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from exec" -l pid-file -r -F
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from exec" -l cwd -d 'Working directory in the container' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from exec" -s e -l env -d 'Set an environment variable (K=V)' -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from exec" -s u -l user -d 'UID[:GID] to run as' -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from exec" -s g -l additional-gids -d 'Additional group ids' -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from exec" -s c -l cap -d 'Add a capability (bounding, effective, permitted; ambient too when the spec sets inheritable ones)' -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from exec" -l process-label -d 'SELinux process label' -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from exec" -l apparmor -d 'AppArmor profile' -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from exec" -l preserve-fds -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from exec" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from exec" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from exec" -s t -l tty -d 'Allocate a pseudo-TTY (needs --console-socket)'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from exec" -s d -l detach -d 'Return once the process has started'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from exec" -l no-new-privs -d 'Set no_new_privileges'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from exec" -l ignore-paused -d 'Exec even when the container is paused (accepted)'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from exec" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from ps" -s f -l format -r -f -a "table\t''
json\t''"
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from ps" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from ps" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from ps" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from list" -s f -l format -r -f -a "table\t''
json\t''"
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from list" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from list" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only the container IDs'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from features" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from features" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from features" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from pause" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from pause" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from pause" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from resume" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from resume" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from resume" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from update" -s r -l resources -d 'JSON file with LinuxResources ("-" for stdin); flags override it' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from update" -l memory -d 'Memory limit (bytes, or 512m, 1g...; -1 for none)' -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from update" -l memory-reservation -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from update" -l memory-swap -d 'Memory plus swap limit (-1 for unlimited)' -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from update" -l cpu-share -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from update" -l cpu-quota -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from update" -l cpu-period -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from update" -l cpu-rt-period -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from update" -l cpu-rt-runtime -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from update" -l cpuset-cpus -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from update" -l cpuset-mems -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from update" -l pids-limit -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from update" -l blkio-weight -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from update" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from update" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from update" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from spec" -s b -l bundle -d 'Directory to write config.json to' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from spec" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from spec" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from spec" -l rootless -d 'A spec for rootless containers (user namespace, no cgroup mount)'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from spec" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create a container (its process waits for `start`)'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from help" -f -a "start" -d 'Start the user process of a created container'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from help" -f -a "run" -d 'Create and start a container; wait for it unless --detach'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from help" -f -a "state" -d 'Print the state of a container as JSON'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from help" -f -a "kill" -d 'Send a signal to the container\'s init (or all its processes)'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete a container (must be stopped unless --force)'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from help" -f -a "exec" -d 'Run a new process inside a container'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from help" -f -a "ps" -d 'List the processes of a container'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from help" -f -a "list" -d 'List containers'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from help" -f -a "features" -d 'Print the features this runtime supports, as JSON'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from help" -f -a "pause" -d 'Freeze all processes of a container'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from help" -f -a "resume" -d 'Thaw a paused container'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from help" -f -a "update" -d 'Change a running container\'s resource limits'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from help" -f -a "spec" -d 'Write a default config.json'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c skiff -n "__fish_skiff_using_subcommand version" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand version" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand version" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand version" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand version" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand completion" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand completion" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand completion" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand completion" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand completion" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand generate-man" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand generate-man" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand generate-man" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand generate-man" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand generate-man" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image unshare runtime version completion generate-man help" -f -a "pull" -d 'Pull an image from a registry'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image unshare runtime version completion generate-man help" -f -a "push" -d 'Push an image to a registry'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image unshare runtime version completion generate-man help" -f -a "images" -d 'List images'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image unshare runtime version completion generate-man help" -f -a "rmi" -d 'Remove one or more images'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image unshare runtime version completion generate-man help" -f -a "tag" -d 'Create a tag TARGET that refers to SOURCE'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image unshare runtime version completion generate-man help" -f -a "inspect" -d 'Display detailed information on images'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image unshare runtime version completion generate-man help" -f -a "history" -d 'Show the history of an image'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image unshare runtime version completion generate-man help" -f -a "import" -d 'Create an image from a tarball or directory of a root filesystem'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image unshare runtime version completion generate-man help" -f -a "save" -d 'Save images to a tar archive (docker-archive or oci-archive)'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image unshare runtime version completion generate-man help" -f -a "load" -d 'Load images from a tar archive'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image unshare runtime version completion generate-man help" -f -a "login" -d 'Log in to a registry'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image unshare runtime version completion generate-man help" -f -a "logout" -d 'Log out from a registry'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image unshare runtime version completion generate-man help" -f -a "image" -d 'Manage images'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image unshare runtime version completion generate-man help" -f -a "unshare" -d 'Run a command inside skiff\'s user namespace'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image unshare runtime version completion generate-man help" -f -a "runtime" -d 'The built-in OCI runtime, with runc\'s command line'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image unshare runtime version completion generate-man help" -f -a "version" -d 'Show version information'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image unshare runtime version completion generate-man help" -f -a "completion" -d 'Print a shell completion script (bash, zsh, fish)'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image unshare runtime version completion generate-man help" -f -a "generate-man" -d 'Write man pages to a directory'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image unshare runtime version completion generate-man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "ls" -d 'List images'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "pull" -d 'Pull an image from a registry'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "push" -d 'Push an image to a registry'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "rm" -d 'Remove one or more images'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "tag" -d 'Create a tag TARGET that refers to SOURCE'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "inspect" -d 'Display detailed information on images'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "history" -d 'Show the history of an image'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "import" -d 'Create an image from a tarball or directory'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "save" -d 'Save images to a tar archive'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "load" -d 'Load images from a tar archive'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "prune" -d 'Remove unused images'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from runtime" -f -a "create" -d 'Create a container (its process waits for `start`)'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from runtime" -f -a "start" -d 'Start the user process of a created container'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from runtime" -f -a "run" -d 'Create and start a container; wait for it unless --detach'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from runtime" -f -a "state" -d 'Print the state of a container as JSON'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from runtime" -f -a "kill" -d 'Send a signal to the container\'s init (or all its processes)'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from runtime" -f -a "delete" -d 'Delete a container (must be stopped unless --force)'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from runtime" -f -a "exec" -d 'Run a new process inside a container'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from runtime" -f -a "ps" -d 'List the processes of a container'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from runtime" -f -a "list" -d 'List containers'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from runtime" -f -a "features" -d 'Print the features this runtime supports, as JSON'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from runtime" -f -a "pause" -d 'Freeze all processes of a container'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from runtime" -f -a "resume" -d 'Thaw a paused container'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from runtime" -f -a "update" -d 'Change a running container\'s resource limits'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from runtime" -f -a "spec" -d 'Write a default config.json'
