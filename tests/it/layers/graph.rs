//! The import graph of `src/`, read with `syn`: every path in every file (test modules,
//! macro arguments and grouped imports included) resolved to the file that defines what it
//! names, through `use` bindings and re-exports.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use syn::visit::Visit;

/// A module's path below the crate root: `[]` is the root, `["check", "cause"]` is
/// `crate::check::cause`.
type ModPath = Vec<String>;

/// One module: the file it is written in, its children, the names it defines and the names
/// its `use` declarations bind (to absolute paths).
#[derive(Default, Debug)]
struct Module {
    file: PathBuf,
    children: BTreeSet<String>,
    defines: BTreeSet<String>,
    binds: BTreeMap<String, Vec<String>>,
    globs: Vec<Vec<String>>,
}

/// The source tree: each module, and each file's references (absolute paths, from the module
/// they are written in).
#[derive(Default, Debug)]
pub struct Graph {
    modules: BTreeMap<ModPath, Module>,
    /// (file, absolute path, written under `#[cfg(test)]`)
    references: Vec<(PathBuf, Vec<String>, bool)>,
}

/// The module path of a file below `src/`: `lib.rs` is the root, `x.rs` and `x/mod.rs` are `x`.
fn module_of(relative: &Path) -> ModPath {
    let mut parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap_or_default();
    match last.as_str() {
        "lib.rs" | "main.rs" | "mod.rs" => {}
        other => parts.push(other.trim_end_matches(".rs").to_owned()),
    }
    parts
}

/// Makes a path absolute: `crate::a` from anywhere, `super::` and `self::` from `here`, a
/// first segment naming a child module, a binding or a definition of `here` from `here`.
fn absolute(
    graph_modules: &BTreeMap<ModPath, Module>,
    here: &ModPath,
    path: &[String],
) -> Option<Vec<String>> {
    let first = path.first()?;
    match first.as_str() {
        "crate" => Some(path[1..].to_vec()),
        "self" => Some(here.iter().chain(&path[1..]).cloned().collect()),
        "super" => {
            let mut base = here.clone();
            let mut rest = path;
            while rest.first().is_some_and(|s| s == "super") {
                base.pop()?;
                rest = &rest[1..];
            }
            Some(base.into_iter().chain(rest.iter().cloned()).collect())
        }
        name => {
            let module = graph_modules.get(here)?;
            if module.children.contains(name) || module.defines.contains(name) {
                return Some(here.iter().chain(path).cloned().collect());
            }
            // A name a `use` of this module binds: that path (as written, so made absolute
            // in turn), then the rest. `use a::b as a` cannot loop: the bound path starts
            // outside the binding.
            let bound = module.binds.get(name)?;
            if bound.first().is_some_and(|f| f == name) {
                return None;
            }
            let full: Vec<String> = bound.iter().chain(&path[1..]).cloned().collect();
            absolute(graph_modules, here, &full)
        }
    }
}

/// Reads one file's items into `graph` (module `at`, written in `file`).
struct Reader<'g> {
    graph: &'g mut Graph,
    file: PathBuf,
    at: ModPath,
    /// The raw paths seen, with the module they were written in and whether under
    /// `#[cfg(test)]`.
    seen: Vec<(ModPath, Vec<String>, bool)>,
    /// Inside an item marked `#[cfg(test)]`.
    test: bool,
    /// Reading a re-export (`pub use`): a name bound for others, not a use of this file's.
    export: bool,
}

impl Reader<'_> {
    fn module(&mut self) -> &mut Module {
        let file = self.file.clone();
        self.graph
            .modules
            .entry(self.at.clone())
            .or_insert_with(|| Module {
                file,
                ..Module::default()
            })
    }

    fn use_tree(&mut self, prefix: Vec<String>, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(p) => {
                let mut next = prefix;
                next.push(p.ident.to_string());
                self.use_tree(next, &p.tree);
            }
            syn::UseTree::Name(n) => {
                let name = n.ident.to_string();
                let mut full = prefix;
                if name != "self" {
                    full.push(name.clone());
                }
                let local = full.last().cloned().unwrap_or(name);
                self.bind(local, full);
            }
            syn::UseTree::Rename(r) => {
                let mut full = prefix;
                if r.ident != "self" {
                    full.push(r.ident.to_string());
                }
                self.bind(r.rename.to_string(), full);
            }
            syn::UseTree::Glob(_) => {
                if !self.export {
                    self.seen.push((self.at.clone(), prefix.clone(), self.test));
                }
                self.module().globs.push(prefix);
            }
            syn::UseTree::Group(g) => {
                for t in &g.items {
                    self.use_tree(prefix.clone(), t);
                }
            }
        }
    }

    fn bind(&mut self, local: String, full: Vec<String>) {
        if !self.export {
            self.seen.push((self.at.clone(), full.clone(), self.test));
        }
        self.module().binds.insert(local, full);
    }
    /// Reads one item: what it defines, binds and refers to.
    fn item(&mut self, item: &syn::Item) {
        let defined = match item {
            syn::Item::Const(i) => Some(&i.ident),
            syn::Item::Enum(i) => Some(&i.ident),
            syn::Item::Fn(i) => Some(&i.sig.ident),
            syn::Item::Static(i) => Some(&i.ident),
            syn::Item::Struct(i) => Some(&i.ident),
            syn::Item::Trait(i) => Some(&i.ident),
            syn::Item::Type(i) => Some(&i.ident),
            syn::Item::Union(i) => Some(&i.ident),
            syn::Item::Macro(i) => i.ident.as_ref(),
            _ => None,
        };
        if let Some(name) = defined {
            let name = name.to_string();
            self.module().defines.insert(name);
        }
        match item {
            syn::Item::Use(u) => {
                self.export = !matches!(u.vis, syn::Visibility::Inherited);
                self.use_tree(Vec::new(), &u.tree);
                self.export = false;
            }
            syn::Item::Mod(m) => {
                let name = m.ident.to_string();
                self.module().children.insert(name.clone());
                if let Some((_, items)) = &m.content {
                    self.at.push(name);
                    self.module();
                    for i in items {
                        self.visit_item(i);
                    }
                    self.at.pop();
                }
            }
            other => syn::visit::visit_item(self, other),
        }
    }
}

/// Whether an item is compiled for tests only: `#[cfg(test)]`.
fn is_test(item: &syn::Item) -> bool {
    let attrs = match item {
        syn::Item::Mod(m) => &m.attrs,
        syn::Item::Fn(f) => &f.attrs,
        syn::Item::Use(u) => &u.attrs,
        syn::Item::Impl(i) => &i.attrs,
        _ => return false,
    };
    attrs.iter().any(|a| {
        a.path().is_ident("cfg") && a.parse_args::<syn::Ident>().is_ok_and(|i| i == "test")
    })
}

impl<'ast> Visit<'ast> for Reader<'_> {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        let outer = self.test;
        self.test |= is_test(item);
        self.item(item);
        self.test = outer;
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        if segments.len() > 1 {
            self.seen.push((self.at.clone(), segments, self.test));
        }
        syn::visit::visit_path(self, path);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        // `assert_eq!(crate::x::f(), …)`, `format!("{}", super::g())`: arguments that parse
        // as expressions are read as code.
        use syn::parse::Parser;
        let args = syn::punctuated::Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated;
        if let Ok(exprs) = args.parse2(mac.tokens.clone()) {
            for e in &exprs {
                self.visit_expr(e);
            }
        }
        syn::visit::visit_macro(self, mac);
    }
}

impl Graph {
    /// Reads every file of a source tree: paths relative to `src/`, and their text.
    ///
    /// Panics (with the file named) on a file that does not parse.
    pub fn read(files: &BTreeMap<PathBuf, String>) -> Graph {
        let mut graph = Graph::default();
        let mut raw = Vec::new();
        for (file, source) in files {
            let parsed =
                syn::parse_file(source).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            let mut reader = Reader {
                graph: &mut graph,
                file: file.clone(),
                at: module_of(file),
                seen: Vec::new(),
                test: false,
                export: false,
            };
            reader.module();
            for item in &parsed.items {
                reader.visit_item(item);
            }
            raw.extend(
                reader
                    .seen
                    .into_iter()
                    .map(|(m, p, t)| (file.clone(), m, p, t)),
            );
        }
        for (file, at, path, test) in raw {
            if let Some(abs) = absolute(&graph.modules, &at, &path) {
                graph.references.push((file, abs, test));
            }
        }
        graph
    }

    /// The file that defines what an absolute path names: the deepest module on the path,
    /// following `use` bindings (re-exports) to where the name is defined.
    fn resolve(&self, path: &[String], depth: usize) -> Option<&Path> {
        let mut module: ModPath = Vec::new();
        for (i, segment) in path.iter().enumerate() {
            let m = self.modules.get(&module)?;
            let top = i == 0;
            if m.children.contains(segment) && self.modules.contains_key(&extend(&module, segment))
            {
                module.push(segment.clone());
                continue;
            }
            if m.defines.contains(segment) {
                return Some(&m.file);
            }
            if let Some(target) = m.binds.get(segment)
                && depth < 16
            {
                let target = absolute(&self.modules, &module, target)?;
                let full: Vec<String> = target
                    .into_iter()
                    .chain(path[i + 1..].iter().cloned())
                    .collect();
                return self.resolve(&full, depth + 1).or(Some(&m.file));
            }
            if top {
                // Not a module of this crate: `std::…`, `serde::…`.
                return None;
            }
            for glob in m.globs.iter().filter(|_| !top) {
                let Some(base) = absolute(&self.modules, &module, glob) else {
                    continue;
                };
                let full: Vec<String> = base.into_iter().chain(path[i..].iter().cloned()).collect();
                if depth < 16
                    && let Some(found) = self.resolve(&full, depth + 1)
                    && found != m.file
                {
                    return Some(found);
                }
            }
            return Some(&m.file);
        }
        self.modules.get(&module).map(|m| m.file.as_path())
    }

    /// Every edge between two files of the crate: (from, to), each once; with `tests`, the
    /// imports of `#[cfg(test)]` code too.
    pub fn edges(&self, tests: bool) -> BTreeSet<(PathBuf, PathBuf)> {
        self.reasons(tests).into_keys().collect()
    }

    /// Every edge between two files, with the first path that makes it (`crate::a::B`).
    pub fn reasons(&self, tests: bool) -> BTreeMap<(PathBuf, PathBuf), String> {
        let mut edges = BTreeMap::new();
        for (file, path, test) in &self.references {
            if *test && !tests {
                continue;
            }
            if let Some(target) = self.resolve(path, 0)
                && target != file
            {
                edges
                    .entry((file.clone(), target.to_path_buf()))
                    .or_insert_with(|| format!("crate::{}", path.join("::")));
            }
        }
        edges
    }
}

fn extend(module: &ModPath, segment: &str) -> ModPath {
    let mut m = module.clone();
    m.push(segment.to_owned());
    m
}

/// The groups of files that import each other, directly or through others (strongly
/// connected components of more than one file), each sorted.
pub fn cycles(edges: &BTreeSet<(PathBuf, PathBuf)>) -> Vec<Vec<PathBuf>> {
    let nodes: BTreeSet<&PathBuf> = edges.iter().flat_map(|(a, b)| [a, b]).collect();
    let index: BTreeMap<&PathBuf, usize> = nodes.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let names: Vec<&PathBuf> = nodes.into_iter().collect();
    let mut next = vec![Vec::new(); names.len()];
    for (a, b) in edges {
        next[index[a]].push(index[b]);
    }
    // Tarjan's algorithm, iteratively.
    let n = names.len();
    let (mut order, mut low, mut on_stack) = (vec![usize::MAX; n], vec![0; n], vec![false; n]);
    let (mut stack, mut counter, mut groups) = (Vec::new(), 0, Vec::new());
    for root in 0..n {
        if order[root] != usize::MAX {
            continue;
        }
        let mut work = vec![(root, 0usize)];
        while let Some(&mut (v, ref mut child)) = work.last_mut() {
            if *child == 0 && order[v] == usize::MAX {
                order[v] = counter;
                low[v] = counter;
                counter += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = next[v].get(*child) {
                *child += 1;
                if order[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(order[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == order[v] {
                let mut group = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    group.push(names[w].clone());
                    if w == v {
                        break;
                    }
                }
                if group.len() > 1 {
                    group.sort();
                    groups.push(group);
                }
            }
        }
    }
    groups
}
